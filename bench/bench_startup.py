"""Start-up cost of a web process: the time of ``import lvzhi.urls`` (after ``django.setup()``) and the number of
modules it leaves loaded, for the current tree and, optionally, for another checkout of the project.

    .venv/bin/python bench/bench_startup.py --runs 7
    .venv/bin/python bench/bench_startup.py --runs 7 --base /tmp/base    # a `git worktree add /tmp/base <commit>`

Each run is a fresh interpreter (``subprocess``) with ``DJANGO_SETTINGS_MODULE=lvzhi.settings`` and an empty
temporary ``LVZHI_DATA_DIR`` (nothing touches a database: importing the URLs does not). Inside it the script
times ``django.setup()`` and then ``import lvzhi.urls`` with ``time.perf_counter`` and counts ``sys.modules``;
the figures printed are the median over the runs, in milliseconds, and the module counts (after setup, after
the URLs), with whether ``sklearn``/``scipy``/``numpy`` were loaded. With ``--base`` the same is measured for
that tree, and the ratio base/current of the import time is printed (2.0: the current tree imports its URLs
twice as fast). Wall-clock figures: compare runs on the same machine at the same load only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
t0 = time.perf_counter()
import django
django.setup()
t1 = time.perf_counter()
after_setup = len(sys.modules)
import lvzhi.urls  # noqa: F401
t2 = time.perf_counter()
print(json.dumps({"setup_ms": (t1 - t0) * 1000, "urls_ms": (t2 - t1) * 1000, "modules_setup": after_setup,
                  "modules": len(sys.modules),
                  "heavy": sorted(m for m in ("sklearn", "scipy", "numpy") if m in sys.modules)}))
"""


def measure(tree: Path, runs: int) -> dict[str, Any]:
    """Median figures of ``runs`` fresh interpreters importing ``tree``'s ``lvzhi.urls``."""
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as data:
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lvzhi.settings", "PYTHONPATH": str(tree),
                   "LVZHI_DATA_DIR": data}
            env.pop("DATABASE_URL", None)
            done = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=tree, capture_output=True, text=True,
                                  check=True)
            samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"setup_ms": statistics.median(s["setup_ms"] for s in samples),
            "urls_ms": statistics.median(s["urls_ms"] for s in samples),
            "modules_setup": samples[-1]["modules_setup"], "modules": samples[-1]["modules"],
            "heavy": samples[-1]["heavy"]}


def show(name: str, figures: dict[str, Any]) -> None:
    print(f"{name}: import lvzhi.urls {figures['urls_ms']:.0f} ms (median; django.setup() before it "
          f"{figures['setup_ms']:.0f} ms), modules loaded {figures['modules']} "
          f"({figures['modules_setup']} after setup), heavy libraries: {', '.join(figures['heavy']) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per tree (median taken)")
    parser.add_argument("--base", type=Path, help="another checkout of the project to compare with")
    args = parser.parse_args()
    current = measure(ROOT, args.runs)
    show(f"current ({ROOT})", current)
    if args.base:
        base = measure(args.base.resolve(), args.runs)
        show(f"base ({args.base})", base)
        print(f"ratio base/current of the import time: {base['urls_ms'] / current['urls_ms']:.2f}; "
              f"modules: {base['modules']} → {current['modules']} ({base['modules'] - current['modules']} fewer)")


if __name__ == "__main__":
    main()
