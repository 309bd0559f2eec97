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


class RetitlesRefused(CatalogueInvalid):
    """Implementation codes of the file are existing guides' under another title or
    department; nothing has been written. `--allow-retitle` accepts the changes."""

    def report(self) -> str:
        lines = [
            f"{self.name} 中 {len(self.problems)} 个事项的实施编码已是现有指南，导入会将其改名或"
            "改实施主体（可能是编码撞车），未写入任何内容："
        ]
        lines += [f"  {n}. {problem}" for n, problem in enumerate(self.problems, start=1)]
        lines.append("核对无误、确需改名时，加 --allow-retitle 重新导入。")
        if self.warnings:
            lines.append("提示：")
            lines += [f"  - {warning}" for warning in self.warnings]
        return "\n".join(lines)
