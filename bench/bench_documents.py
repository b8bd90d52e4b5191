"""Documents and exports benchmark: the list-to-Excel writer, the GB/T 9704 Word page, and the compilation (汇编)
of a session's reply letters with its PDF.

Usage: ``.venv/bin/python bench/bench_documents.py [--rows 20000] [--docs 30] [--letters 350] [--no-pdf]``

No database: it measures the two shared helpers on synthetic data shaped like the exports.

1. ``lvzhi.core.workbooks.write_rows`` (openpyxl write-only mode, date formats per cell) writing ``--rows`` rows
   of 13 columns (the proposal list's width), against a baseline in the same run: openpyxl's ordinary
   in-memory workbook appending the same rows. Prints rows/s of each, the ratio, and the peak traced memory of
   each (tracemalloc, on a tenth of the rows), since streaming is why the exports use write-only mode.
2. ``lvzhi.core.gongwen.new_document`` + 40 body paragraphs, saved: documents per second, against a plain
   python-docx ``Document()`` with the same paragraphs (the cost of the page setup, fonts and footers).
3. ``lvzhi.reports.compilation.compile_letters`` on ``--letters`` reply letters (350: the real 2019 Jiangsu
   session's proposals, one letter each; every letter 8 paragraphs of 130 characters, about two pages): seconds
   for the .docx, its size, and — where LibreOffice is installed and without ``--no-pdf`` — seconds and pages
   of its PDF (``lvzhi.core.pdf.docx_to_pdf``), then the same for a single letter (the per-request cost of a
   letter's PDF link). The letters' parts are synthetic: reading them from the database
   (``reply_letter_parts``) is not measured here.
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
    parser.add_argument("--letters", type=int, default=350)
    parser.add_argument("--no-pdf", action="store_true")
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


    compilation_bench(args.letters, pdf=not args.no_pdf)


def _parts(i: int) -> dict:
    text = "\n".join(["城区公交线网覆盖不足，夜间班次偏少，群众出行不便，建议优化线网、增开微循环线路。" * 3] * 8)
    return {"unsent": False, "number": f"14-3-{i:03d}", "grade": "A", "unit": "市发展和改革局",
            "doc_number": f"江发改〔2026〕{i}号", "signer": "张局长", "title": f"关于政协十四届三次会议第14-3-{i:03d}号提案的答复",
            "addressee": "张三委员", "opening": f"您提出的《关于第{i}项民生工作的建议》（第14-3-{i:03d}号）收悉。经认真研究，现答复如下：",
            "text": text, "date": "2026年3月4日", "contact": "（联系人：陈经办，联系电话：0750-3123456）",
            "cc_units": ["市交通运输局", "市政协提案委员会"], "cc": "抄送：市交通运输局，市政协提案委员会。"}


def compilation_bench(letters: int, *, pdf: bool) -> None:
    import re
    import subprocess
    import tempfile

    from lvzhi.core import gongwen
    from lvzhi.core.pdf import docx_to_pdf, pdf_available
    from lvzhi.reports.compilation import Entry, compile_letters
    from lvzhi.reports.documents import write_letter

    entries = [Entry(f"14-3-{i:03d}", f"关于第{i}项民生工作的建议", "市发展和改革局", _parts(i))
               for i in range(1, letters + 1)]
    t0 = time.perf_counter()
    data = compile_letters(entries, council_name="政协江门市委员会", session_title="江门市政协十四届三次会议",
                           heading="提案答复汇编")
    t_docx = time.perf_counter() - t0
    print(f"compilation, {letters} letters")
    print(f"  .docx: {t_docx:.2f} s, {len(data) / 2**10:,.0f} KiB")
    if not pdf:
        return
    if not pdf_available():
        print("  PDF: LibreOffice not installed, not measured")
        return
    t0 = time.perf_counter()
    out = docx_to_pdf(data, timeout=1800)
    t_pdf = time.perf_counter() - t0
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(out)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout if shutil_which("pdfinfo") \
            else ""
    pages = re.search(r"^Pages:\s+(\d+)$", info, re.M)
    print(f"  PDF (LibreOffice headless): {t_pdf:.1f} s, {pages.group(1) if pages else '?'} pages, "
          f"{len(out) / 2**20:.1f} MiB")
    one = gongwen.new_document()
    write_letter(one, _parts(1))
    single = gongwen.save(one)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        docx_to_pdf(single)
        times.append(time.perf_counter() - t0)
    print(f"  one letter's PDF: median {sorted(times)[1]:.2f} s of 3 (each a fresh LibreOffice with its own profile)")


def shutil_which(name: str) -> str | None:
    import shutil

    return shutil.which(name)


if __name__ == "__main__":
    main()
