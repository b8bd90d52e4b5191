"""Documents and exports benchmark: the list-to-Excel writer and the GB/T 9704 Word page.

Usage: ``.venv/bin/python bench/bench_documents.py [--rows 20000] [--docs 30]``

No database: it measures the two shared helpers on synthetic data shaped like the exports.

1. ``lvzhi.core.workbooks.write_rows`` (openpyxl write-only mode, date formats per cell) writing ``--rows`` rows
   of 13 columns (the proposal list's width), against a baseline in the same run: openpyxl's ordinary
   in-memory workbook appending the same rows. Prints rows/s of each, the ratio, and the peak traced memory of
   each (tracemalloc, on a tenth of the rows), since streaming is why the exports use write-only mode.
2. ``lvzhi.core.gongwen.new_document`` + 40 body paragraphs, saved: documents per second, against a plain
   python-docx ``Document()`` with the same paragraphs (the cost of the page setup, fonts and footers).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _rows(n: int):
    start = datetime(2026, 1, 5, 9, 30)
    for i in range(n):
        yield [f"14-3-{i:05d}", f"关于第{i}项民生工作的建议" * 2, "张三、李四", "经济建设", "已答复待测评",
               "市发展和改革局（主办）；市交通运输局（会办）", "A类", "满意", start + timedelta(minutes=i), "经济界",
               date(2026, 2, 1), date(2026, 5, 1), "2026-04-20"]


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _peak(fn):
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--docs", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    import django

    django.setup()
    from docx import Document
    from openpyxl import Workbook

    from lvzhi.core import gongwen
    from lvzhi.core.workbooks import write_rows

    headers = [f"列{i}" for i in range(13)]

    def shared(n: int) -> None:
        write_rows(io.BytesIO(), "提案清单", headers, _rows(n))

    def baseline(n: int) -> None:
        wb = Workbook()
        ws = wb.active
        ws.append(headers)
        for row in _rows(n):
            ws.append(row)
        wb.save(io.BytesIO())

    t_shared = _timed(lambda: shared(args.rows))
    t_base = _timed(lambda: baseline(args.rows))
    m_rows = args.rows // 10  # tracemalloc slows openpyxl several times over: memory on a tenth of the rows
    m_shared, m_base = _peak(lambda: shared(m_rows)), _peak(lambda: baseline(m_rows))
    print(f"excel, {args.rows:,} rows × 13 columns (peak memory on {m_rows:,} rows)")
    print(f"  write_rows (write-only): {args.rows / t_shared:,.0f} rows/s, peak memory {m_shared / 2**20:.1f} MiB")
    print(f"  baseline (in-memory):    {args.rows / t_base:,.0f} rows/s, peak memory {m_base / 2**20:.1f} MiB")
    print(f"  time ratio baseline/write_rows {t_base / t_shared:.2f}×, memory ratio {m_base / max(m_shared, 1):.1f}×")

    text = "城区公交线网覆盖不足，夜间班次偏少，群众出行不便。" * 4

    def gb_docs() -> None:
        for _ in range(args.docs):
            d = gongwen.new_document()
            gongwen.title(d, "关于优化城区公交线网的建议的答复")
            for _ in range(40):
                gongwen.body(d, text)
            gongwen.save(d)

    def plain_docs() -> None:
        for _ in range(args.docs):
            d = Document()
            d.add_paragraph("关于优化城区公交线网的建议的答复")
            for _ in range(40):
                d.add_paragraph(text)
            d.save(io.BytesIO())

    t_gb = _timed(gb_docs)
    t_plain = _timed(plain_docs)
    print(f"word, {args.docs} documents of 40 paragraphs")
    print(f"  gongwen page: {args.docs / t_gb:.1f} documents/s; plain python-docx: {args.docs / t_plain:.1f}/s "
          f"(ratio {t_gb / t_plain:.2f}× the plain time)")


if __name__ == "__main__":
    main()
