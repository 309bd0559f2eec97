"""One line of an import's report: where in the file (row, column) and why, in Chinese."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """A cell, a row or the whole file that cannot be imported.

    `row` is the row as Excel numbers it (the header is row 1), or the 1-based item of a
    JSON file; None for a problem with the whole file. `column` is the header as the file
    writes it, or a JSON field path such as items[3].materials[2].copies. A file of several
    sheets or sections also names the `section`; `unit` says what `row` counts.
    """

    row: int | None
    column: str
    reason: str
    section: str = ""
    unit: str = "行"  # 第5行; a JSON catalogue counts items: 第3项事项
    # Where the problem sorts in a report that lists problems sheet by sheet or item by item.
    order: tuple = field(default=(), compare=False, repr=False)

    @property
    def place(self):
        """The row as the report writes it: 第5行, 第3项事项, or "" for the whole file."""
        return f"第{self.row}{self.unit}" if self.row else ""

    def __str__(self):
        place = " · ".join(part for part in (self.section, self.place, self.column) if part)
        return f"{place}：{self.reason}" if place else self.reason
