"""Import benchmark, two source trees side by side: `import_supervision evaluations FILE` run
from an old and a new checkout against the same database, alternately, so both meet the same
machine load.

    DATABASE_URL=... .venv/bin/python bench/imports.py FILE --old ../wt-base --new . [--rounds 3]

Each round, for each tree (the order swaps every round): the file's rows are deleted, then
timed are the first import, the same file again (every row an update) and `--dry-run`. Each
import runs in its own child process (`manage.py` of that tree, so its code wins); peak is that
child's maximum resident set. The database needs the windows and staff the file names
(bench/supervision_data.py) and the file comes from bench/supervision_export.py, whose
evaluation numbers (HCP…) no other data uses: deleting them resets the database.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODES = {
    "first import": [],
    "same file again": [],
    "--dry-run": ["--dry-run"],
}


def run_import(tree, path, options):
    """(seconds, peak MB, last line printed) of one import from `tree`; stops if it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "manage.py", "import_supervision", "evaluations", str(path), *options],
            cwd=tree,
            stdout=out,
            stderr=err,
            env=os.environ | {"PYTHONPATH": str(tree)},
        )
        # wait4 rather than wait: the child's own resource usage, not all children's maximum.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            sys.exit(f"{tree}: import failed\n{err.read().decode()[-2000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read().decode().strip().splitlines()[-1]


def reset(tree):
    """Delete the file's evaluations (numbered HCP…), with that tree's Django."""
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection, transaction\n"
            "with transaction.atomic(), connection.cursor() as c:\n"
            "    c.execute(\"DELETE FROM supervision_evaluation WHERE number LIKE 'HCP%%'\")",
        ],
        cwd=tree,
        check=True,
        env=os.environ | {"PYTHONPATH": str(tree)},
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a CSV of evaluations (supervision_export.py)")
    parser.add_argument("--old", type=Path, required=True, help="the old source tree")
    parser.add_argument("--new", type=Path, required=True, help="the new source tree")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"old": args.old.resolve(), "new": args.new.resolve()}
    times = {(name, mode): [] for name in trees for mode in MODES}
    peaks = {name: [] for name in trees}
    for number in range(args.rounds):
        order = list(trees) if number % 2 == 0 else list(reversed(trees))
        for name in order:
            reset(trees[name])
            for mode, options in MODES.items():
                seconds, peak, last = run_import(trees[name], args.file.resolve(), options)
                times[name, mode].append(seconds)
                peaks[name].append(peak)
                print(f"round {number + 1} {name:3} {mode:16} {seconds:6.1f} s  {last}", flush=True)
    print(f"\n{args.file.name}, {args.rounds} rounds, medians (runs):")
    for mode in MODES:
        old, new = (statistics.median(times[name, mode]) for name in trees)
        runs = {name: ", ".join(f"{s:.1f}" for s in times[name, mode]) for name in trees}
        print(
            f"  {mode:16} old {old:6.1f} s ({runs['old']})  new {new:6.1f} s ({runs['new']})"
            f"  new/old {new / old:.3f}"
        )
    print(f"  peak             old {max(peaks['old']):.0f} MB  new {max(peaks['new']):.0f} MB")


if __name__ == "__main__":
    main()
