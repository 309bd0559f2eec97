"""XLSX readers side by side: the rows of one sheet read by python-calamine and by openpyxl's
read-only mode (imports.files.calamine_table / openpyxl_table), each in its own child process.

    .venv/bin/python bench/xlsx_readers.py /tmp/evaluations-200k.xlsx --rows 200000 [--rounds 3]

The file is written first if it does not exist (openpyxl write-only; the hall's evaluation
export's columns: text numbers, a 工号 as a number, a rating, a date and time, a comment).
Each round reads the whole sheet with each reader, in turn; timed is opening the file and
going through every row, as the importer does. Peak = the child's maximum resident set. The
run fails unless both readers give the same rows (compared by a digest of their repr).
"""

import argparse
import datetime
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["评价编号", "办件编号", "窗口号", "工号", "部门编码", "评价渠道", "评价等级"]
HEADER += ["评价内容", "评价时间", "申诉状态"]


def write_file(path, count):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    start = datetime.datetime(2026, 1, 5, 8, 30)
    for n in range(count):
        sheet.append(
            [
                f"HCP{n:08d}",
                f"BJ2026{n:08d}",
                f"CK-{n % 56 + 1:02d}",
                1000 + n % 300,  # a 工号 typed as a number
                "",
                ("现场", "网站", "APP")[n % 3],
                n % 5 + 1,
                "服务热情，办事效率高" if n % 7 else "",
                start + datetime.timedelta(minutes=7 * n),
                "未申诉",
            ]
        )
    workbook.save(path)


def read(reader, path):
    """Child: read every row with `reader`; print seconds, rows and the rows' digest."""
    sys.path.insert(0, str(ROOT))
    from imports import files

    started = time.perf_counter()
    digest, rows = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for number, cells in getattr(files, f"{reader}_table")(handle).rows:
            digest.update(repr((number, cells)).encode())
            rows += 1
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rows": rows, "digest": digest.hexdigest(), "mb": peak}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--child", choices=["calamine", "openpyxl"])
    args = parser.parse_args()
    if args.child:
        return read(args.child, args.file)
    path = Path(args.file)
    if not path.exists():
        started = time.perf_counter()
        write_file(path, args.rows)
        print(
            f"wrote {path} ({path.stat().st_size / 2**20:.1f} MiB) in "
            f"{time.perf_counter() - started:.1f} s"
        )
    results = {"calamine": [], "openpyxl": []}
    for round_ in range(args.rounds):
        for reader in ("calamine", "openpyxl") if round_ % 2 == 0 else ("openpyxl", "calamine"):
            out = subprocess.run(
                [sys.executable, __file__, str(path), "--child", reader],
                check=True,
                capture_output=True,
                text=True,
                env=os.environ,
            ).stdout
            results[reader].append(json.loads(out))
            print(reader, results[reader][-1], flush=True)
    digests = {run["digest"] for runs in results.values() for run in runs}
    if len(digests) != 1:
        sys.exit("the readers gave different rows")
    for reader, runs in results.items():
        seconds = statistics.median(run["seconds"] for run in runs)
        peak = max(run["mb"] for run in runs)
        print(f"{reader}: {runs[0]['rows']} rows, median {seconds:.1f} s, peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
