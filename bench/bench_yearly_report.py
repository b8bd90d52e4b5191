"""Year-report benchmark: time to gather every module's 数读 of a council for a year and write the Word document
and the workbook, for councils of growing size.

Usage: ``python bench/bench_yearly_report.py [--members 500] [--activities 200] [--repeat 3]``

Builds the data of ``bench/bench_duty_scores.py`` (a fresh SQLite database unless ``DATABASE_URL`` is set:
members, a year of meetings each inviting every member, two proposals and one public-opinion report per
member; the Tongcheng rules) for a quarter, half and all of ``--members``, and times, best of ``--repeat``:
:func:`lvzhi.duties.yearreport.year_sections` (every module's figures, the duties section scoring the whole
council), :func:`~lvzhi.duties.yearreport.yearly_docx` and :func:`~lvzhi.duties.yearreport.yearly_xlsx`.
Prints seconds and ratios to the smallest size.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_duty_scores as base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--activities", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base._setup_django()
    from lvzhi.duties.yearreport import year_sections, yearly_docx, yearly_xlsx

    rows = []
    for n in (args.members // 4, args.members // 2, args.members):
        council = base.build(n, args.activities, random.Random(n))
        best = [float("inf")] * 3
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            sections = year_sections(council, base.YEAR)  # type: ignore[arg-type]
            t1 = time.perf_counter()
            yearly_docx(council, base.YEAR, sections)  # type: ignore[arg-type]
            t2 = time.perf_counter()
            yearly_xlsx(sections)
            t3 = time.perf_counter()
            best = [min(b, t) for b, t in zip(best, (t1 - t0, t2 - t1, t3 - t2), strict=True)]
        rows.append((n, *best))
    first = sum(rows[0][1:])
    print(f"{'members':>8} {'figures s':>10} {'docx s':>8} {'xlsx s':>8} {'total s':>8} {'ratio':>6}")
    for n, fig, docx, xlsx in rows:
        total = fig + docx + xlsx
        print(f"{n:>8} {fig:>10.3f} {docx:>8.3f} {xlsx:>8.3f} {total:>8.3f} {total / first:>6.2f}")


if __name__ == "__main__":
    main()
