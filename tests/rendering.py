"""Reading back rendered documents for the tests: LibreOffice turns a .docx into PDF (lvzhi/core/pdf.py or the
test itself), poppler's pdfinfo/pdftotext read the PDF. ./test.sh installs both (libreoffice-writer-nogui,
poppler-utils); where they are missing (pytest run by hand) the rendered tests are skipped with the reason."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

HAS_RENDERER = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None
needs_renderer = pytest.mark.skipif(not HAS_RENDERER, reason="LibreOffice (libreoffice-writer-nogui) or "
                                                             "pdftotext (poppler-utils) not installed")


def pdf_text(pdf: Path, *, layout: bool = True) -> str:
    """The text of ``pdf`` as pdftotext prints it (pages separated by form feeds), with ``-layout`` or not."""
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_page_count(pdf: Path) -> int:
    """The number of pages pdfinfo reports for ``pdf``."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)$", info, re.M)
    assert found, info
    return int(found.group(1))
