"""Tests and benchmarks read the shared data relative to the project, never from an absolute path."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Built from parts so that this file does not match itself.
ABSOLUTE = re.compile(r"""["']/""" + "work" + r"""/""")


def test_no_test_or_bench_file_hard_codes_an_absolute_work_path() -> None:
    offenders = [f"{path.relative_to(ROOT)}:{n}"
                 for folder in ("tests", "bench") for path in sorted((ROOT / folder).rglob("*.py"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if ABSOLUTE.search(line)]
    assert offenders == []


def test_shared_data_is_found_beside_the_project() -> None:
    data = ROOT / ".." / "shared" / "data"
    assert (data / "jszx2019-proposals" / "proposals.csv").is_file()
