"""Writing a list as an Excel workbook (.xlsx, openpyxl): every list export goes through :func:`write_rows`.

One sheet: a bold header row (frozen), then one row per item; ``datetime`` cells formatted
``yyyy-mm-dd hh:mm``, ``date`` cells ``yyyy-mm-dd`` (so Excel sorts and filters them as dates), everything else
as given. openpyxl's write-only mode streams the rows to a temporary file, so 100,000 rows do not sit in
memory. :func:`xlsx_download` wraps a writer into a file download.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME = "yyyy-mm-dd hh:mm"
DATE = "yyyy-mm-dd"
BOLD = Font(bold=True)


def local(value: datetime | None) -> datetime | None:
    """An aware datetime as the council's wall-clock time without zone (what a cell can hold); ``None`` stays."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def cells(ws: Any, values: Iterable[Any]) -> list[WriteOnlyCell]:
    """The cells of one row of the write-only sheet ``ws``: dates and times formatted as such, and text kept as
    text — openpyxl would store a string starting with ``=`` (a citizen's title, say) as a formula that Excel
    runs when the file is opened (formula injection, OWASP "CSV injection")."""
    out = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str) and cell.data_type == "f":
            cell.data_type = "s"
        elif isinstance(value, datetime):
            cell.number_format = DATETIME
        elif isinstance(value, date):
            cell.number_format = DATE
        out.append(cell)
    return out


def write_rows(target: str | IO[bytes], title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
               widths: Sequence[int] = (), progress: Callable[[int], None] | None = None,
               every: int = 2000) -> int:
    """Write one sheet named ``title`` (at most 31 characters are kept) with ``headers`` and ``rows`` to
    ``target`` (a path or a binary file); column widths ``widths`` in Excel's character units. Returns the
    number of rows written (without the header). ``progress(done)`` is called after every ``every`` rows
    and once at the end."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = "A2"
    head = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = BOLD
        head.append(cell)
    ws.append(head)
    done = 0
    for row in rows:
        ws.append(cells(ws, row))
        done += 1
        if progress is not None and done % every == 0:
            progress(done)
    wb.save(target)
    if progress is not None:
        progress(done)
    return done


def xlsx_download(write: Callable[[IO[bytes]], object], filename: str) -> FileResponse:
    """A download of the workbook ``write(file)`` writes into a temporary file, named ``filename``."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    write(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
