"""A header row matched to an importer's columns: by key, label or alias, compared normalised
(`cells.norm`: case, width and spaces do not matter). Each importer words its own report of
what the match found; the matching is the same for both."""

from dataclasses import dataclass, field

from imports.cells import is_blank, norm


def column_names(columns):
    """{normalised name: column} for every key, label and alias of `columns`."""
    names = {}
    for column in columns:
        for name in (column.key, column.label, *column.aliases):
            assert names.setdefault(norm(name), column) is column, f"{name} 重复"
    return names


@dataclass
class Header:
    positions: dict = field(default_factory=dict)  # column key → cell index
    labels: dict = field(default_factory=dict)  # column key → the header as the file writes it
    unknown: list = field(default_factory=list)  # headers that name no column
    repeated: list = field(default_factory=list)  # (header, column) naming a column again

    def missing(self, columns):
        """The required columns the header lacks, each once, in the order given."""
        return [c for c in dict.fromkeys(columns) if c.required and c.key not in self.positions]


def match_header(cells, names):
    """Match a header row's cells to columns by `names` (see column_names)."""
    header = Header()
    for index, cell in enumerate(cells):
        if is_blank(cell):
            continue
        text = str(cell).lstrip("\ufeff").strip()
        if not text:
            continue
        column = names.get(norm(text))
        if column is None:
            header.unknown.append(text)
        elif column.key in header.positions:
            header.repeated.append((text, column))
        else:
            header.positions[column.key] = index
            header.labels[column.key] = text
    return header
