"""The three supervision bulletins (督查简报; content outline: docs/supervision.md).

| module | what |
| --- | --- |
| `periods` | the period a bulletin covers, its label and issue number, which periods are due, no daily bulletin for a closed day |
| `rows` | how findings, bad reviews and cases are listed; MAX_LISTED |
| `daily`, `weekly`, `monthly` | one compiler per kind: hall data of a period → JSON-ready content |
| `making` | `make_bulletin`: compile once, store, render the PDF through publications.pdf |
| `departments` | what departments' extracts need, compiled and stored with the bulletin |
| `extracts` | a department's extract (部门专报): the stored content filtered, rendered once |
| `readiness` | whether a period's data is in, how long the job waits for it (数据不完整) |
| `editions` | `reissue`: a corrected edition (更正版) of a period, and what changed |

Each compiler reads the hall data of its period once and returns plain content: numbers, and
texts already worded. The kinds share their row helpers, not a compiler: each reads different
data and words different sections, so one module each reads top to bottom.
"""

from supervision.bulletins.making import bulletin_pdf, make_bulletin
from supervision.bulletins.monthly import month_overview, unit_rows
from supervision.bulletins.periods import (
    ClosedDay,
    due_periods,
    issue_number,
    latest_complete_period,
    period_label,
    period_of,
    previous_period,
)
from supervision.bulletins.rows import MAX_LISTED

__all__ = [
    "MAX_LISTED",
    "ClosedDay",
    "bulletin_pdf",
    "due_periods",
    "issue_number",
    "latest_complete_period",
    "make_bulletin",
    "month_overview",
    "period_label",
    "period_of",
    "previous_period",
    "unit_rows",
]
