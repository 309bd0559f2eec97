"""What the catalogue import raises; the command turns each into a CommandError."""

from imports.problems import Problem


class CatalogueImportError(Exception):
    """Base of the errors the command turns into CommandError."""


class CatalogueFileError(CatalogueImportError):
    """The file cannot be read as a catalogue at all (format, sheets, required columns)."""


class CatalogueInvalid(CatalogueImportError):
    """The file was read but some rows are wrong; nothing has been written."""

    def __init__(self, name: str, problems: list[Problem], warnings: list[Problem] = ()):
        self.name = name
        self.problems = list(problems)
        self.warnings = list(warnings)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"{self.name} 有 {len(self.problems)} 处错误，未写入任何内容："]
        lines += [f"  {n}. {problem}" for n, problem in enumerate(self.problems, start=1)]
        if self.warnings:
            lines.append("提示：")
            lines += [f"  - {warning}" for warning in self.warnings]
        return "\n".join(lines)
