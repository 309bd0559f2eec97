"""The departments (实施主体) a catalogue names: by code, by name or by short name, in either
of the two columns, and the ones the import may create (--create-departments).

Provincial exports often carry the department's name and not the centre's code for it, so a
value is looked up as a code, then as an exact name, then as a short name (简称, which two
departments may share: then it names neither). validate.py calls `resolve` for each item;
the problems and warnings go into the validator's report.
"""

import hashlib

from django.db import models

from cms.catalogue_import.plan import NewDepartment
from cms.catalogue_import.read import SourceRow
from cms.models import Department

# A department the import creates from a name alone gets a code made from the name, the same
# on every run (a dry run shows the code the real run will give); editors may change it.
GENERATED_CODE_PREFIX = "AUTO-"


class Departments:
    def __init__(self, refs, *, create: bool, report, warnings: list):
        """Load the departments any of `refs` (codes or names) may mean, in one query.
        `report(row, key, reason)` records a problem; `warnings` collects the rest."""
        self.create, self.report, self.warnings = create, report, warnings
        self.new: dict[str, NewDepartment] = {}  # by name
        self.by_code, self.by_name, self.by_short_name = {}, {}, {}
        for department in Department.objects.filter(
            models.Q(code__in=refs) | models.Q(name__in=refs) | models.Q(short_name__in=refs)
        ):
            self.by_code[department.code] = department
            self.by_name[department.name] = department
            if department.short_name:
                self.by_short_name.setdefault(department.short_name, []).append(department)

    def find(self, ref: str) -> tuple[Department | None, str]:
        """(the department, ""), (None, "") when none has that code or name, or (None, the
        reason) when a short name is several departments'."""
        department = self.by_code.get(ref) or self.by_name.get(ref)
        if department is not None:
            return department, ""
        named = self.by_short_name.get(ref, [])
        if len(named) > 1:
            names = "、".join(department.name for department in named)
            return None, f"简称“{ref}”对应多个部门（{names}），请写部门全称或编码"
        return (named[0] if named else None), ""

    def resolve(self, row: SourceRow, code: str, name: str) -> Department | None:
        """The department a row names by code, name or short name (either column may hold
        any of them), or a new one when that is allowed; None after reporting why not."""
        found = {}
        for key, ref in (("department_code", code), ("department_name", name)):
            if not ref:
                continue
            department, reason = self.find(ref)
            if reason:
                self.report(row, key, reason)
                return None
            if department is not None:
                found[key] = department
        if len(set(found.values())) > 1:
            by_code, by_name = found["department_code"], found["department_name"]
            self.report(
                row,
                "department_name",
                f"实施主体编码“{code}”是“{by_code.name}”，实施主体“{name}”却是另一个部门"
                f"（“{by_name.name}”，编码 {by_name.code}）",
            )
            return None
        if found:
            department = next(iter(found.values()))
            if code and "department_code" not in found:
                self.warnings.append(
                    row.problem(
                        "department_code",
                        f"部门编码“{code}”不存在，已按名称“{name}”匹配到“{department.name}”"
                        f"（编码 {department.code}）",
                    )
                )
            return department
        if self.create and name:
            return self.planned(row, code, name)
        if name:
            self.report(
                row,
                "department_name",
                f"实施主体“{name}”不存在（按部门名称、简称和编码查找）；请先在“部门”中添加，"
                "或加 --create-departments 由导入新建",
            )
        else:
            hint = "；按名称新建部门需要“实施主体”列" if self.create else ""
            self.report(
                row,
                "department_code",
                f"部门编码“{code}”不存在（也不是部门名称或简称），请先在“部门”中添加{hint}",
            )
        return None

    def planned(self, row: SourceRow, code: str, name: str) -> Department | None:
        """The department to create for `name`, once for every row that names it (with the
        row's code, or one made from the name); None after reporting a clash of codes."""
        entry = self.new.get(name)
        if entry is not None:
            if code and code != entry.department.code:
                first = entry.row.problem("", "")
                self.report(
                    row,
                    "department_code",
                    f"新部门“{name}”在文件中的编码已是“{entry.department.code}”（{first.place}），"
                    f"此处为“{code}”",
                )
                return None
            return entry.department
        planned = {entry.department.code: entry for entry in self.new.values()}
        if code in planned:  # a code given in the file: none of the existing departments has it
            self.report(
                row,
                "department_code",
                f"新部门“{name}”与“{planned[code].department.name}”的编码都是“{code}”",
            )
            return None
        if not code:
            base = GENERATED_CODE_PREFIX + hashlib.sha1(name.encode()).hexdigest()[:8].upper()
            taken = planned.keys() | set(
                Department.objects.filter(code__startswith=base).values_list("code", flat=True)
            )
            code, n = base, 1
            while code in taken:  # an earlier import made it from this name, renamed since
                n += 1
                code = f"{base}-{n}"
        entry = self.new[name] = NewDepartment(Department(code=code, name=name), row)
        return entry.department
