"""PDF copies of the Word documents lvzhi writes, converted by LibreOffice headless (``soffice --convert-to
pdf``), the usual converter on government intranets (Debian ``libreoffice-writer-nogui``).

Each conversion runs in its own temporary directory with its own LibreOffice user profile
(``-env:UserInstallation=file:///tmp/…/profile``), so concurrent conversions do not wait on or break each other's
profile lock, and is stopped (its whole process group) after ``settings.PDF_TIMEOUT_SECONDS`` (180).
The program is ``settings.SOFFICE`` (``LVZHI_SOFFICE``) or ``soffice``/``libreoffice`` found on ``PATH``.

:func:`pdf_download` answers a PDF link: the file, or — where LibreOffice is missing, times out or fails — a page
with the reason in Chinese and the link to the Word file (status 200: not a server error; the Word download
does not depend on LibreOffice).
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from lvzhi.core.errors import DomainError

logger = logging.getLogger(__name__)

PDF_CONTENT_TYPE = "application/pdf"


class PdfUnavailableError(DomainError):
    """No PDF can be made here now: LibreOffice is not installed, or the conversion failed or timed out.
    ``message`` (zh-Hans) says which."""

    status = 200


def soffice_path() -> str | None:
    """The LibreOffice program to convert with: ``settings.SOFFICE`` if it names an executable (a path, or a
    name on ``PATH``), else ``soffice`` or ``libreoffice`` on ``PATH``; ``None`` when there is none."""
    configured = getattr(settings, "SOFFICE", None)
    if configured:
        found = shutil.which(configured)
        return found if found else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    """Whether a PDF can be attempted on this server (:func:`soffice_path` finds LibreOffice)."""
    return soffice_path() is not None


def docx_to_pdf(data: bytes, *, timeout: float | None = None) -> bytes:
    """The PDF (bytes) of the .docx ``data``, rendered by LibreOffice headless in a fresh temporary directory
    with its own user profile; stopped after ``timeout`` seconds (default ``settings.PDF_TIMEOUT_SECONDS``).

    Raises :class:`PdfUnavailableError` with a Chinese message when LibreOffice is not installed, when the
    conversion takes longer than ``timeout``, or when it ends without a PDF."""
    program = soffice_path()
    if program is None:
        raise PdfUnavailableError(missing_message())
    limit = float(timeout if timeout is not None else getattr(settings, "PDF_TIMEOUT_SECONDS", 180))
    with tempfile.TemporaryDirectory(prefix="lvzhi-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(data)
        command = [program, "--headless", "--norestore", "--nologo", "--nolockcheck",
                   f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        env = dict(os.environ, HOME=str(folder))  # nothing written to the server account's home
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        try:
            _out, err = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            # soffice starts soffice.bin as a child: end the whole group, not only the launcher
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.communicate()
            raise PdfUnavailableError(
                _("生成 PDF 超时（超过 %(seconds)d 秒），请稍后重试或下载 Word 文件。") % {"seconds": int(limit)}
            ) from None
        result = folder / "document.pdf"
        if not result.exists():
            logger.error("LibreOffice made no PDF (exit %s): %s", process.returncode,
                         err.decode("utf-8", "replace")[-2000:])
            raise PdfUnavailableError(_("生成 PDF 失败，请下载 Word 文件。"))
        return result.read_bytes()


def missing_message() -> str:
    """What a PDF link answers where LibreOffice is not installed (zh-Hans)."""
    return _("本服务器未安装 LibreOffice，暂不能生成 PDF 文件，请下载 Word 文件。")


def unavailable_page(request: HttpRequest, reason: str, word_url: str) -> HttpResponseBase:
    """The page a PDF link answers when no PDF can be made: ``reason`` and the link ``word_url`` to the Word
    file (status 200)."""
    return render(request, "core/pdf_unavailable.html", {"reason": reason, "word_url": word_url},
                  status=PdfUnavailableError.status)


def pdf_download(request: HttpRequest, make_docx: Callable[[], bytes], filename: str,
                 word_url: str) -> HttpResponseBase:
    """The PDF of the document ``make_docx()`` writes, as a download named ``filename`` (``….pdf``); when no
    PDF can be made (:class:`PdfUnavailableError`), the page ``core/pdf_unavailable.html`` with the reason and
    ``word_url``, the link to the Word file. The caller has checked access."""
    try:
        pdf = docx_to_pdf(make_docx())
    except PdfUnavailableError as exc:
        return unavailable_page(request, exc.message, word_url)
    return FileResponse(io.BytesIO(pdf), as_attachment=True, filename=filename, content_type=PDF_CONTENT_TYPE)
