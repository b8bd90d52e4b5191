"""Opening an uploaded or imported Excel workbook (.xlsx) safely: every import reads workbooks through here.

An .xlsx is a zip of XML. Before openpyxl parses anything, :func:`check_xlsx` refuses, with a short Chinese
message that never repeats the file's content:

- a file that is not a zip (not an .xlsx at all);
- a zip whose members inflate to more than ``SPREADSHEET_MAX_MB`` (default 100 MB) in all, or any member with a
  compression ratio above 100:1 beyond 1 MB (a "zip bomb": 307 KB that inflates to 300 MB);
- a worksheet whose declared size (its ``<dimension ref="A1:G4327">``) exceeds ``SPREADSHEET_MAX_ROWS`` rows
  (default 200,000) or ``SPREADSHEET_MAX_COLUMNS`` columns (default 200) — refused at once, not after reading a
  million rows.

:func:`rows` then caps the rows actually read (a sheet may omit or understate its dimension). :func:`clip`
shortens a cell's text for an error message. For scale: the real tipdm exports in ../shared/data are 0.1–6.9 MB
inflated, ratio ≤ 10:1, at most 4,327 rows × 7 columns.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from lvzhi.core.errors import DomainError

_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_BOMB_RATIO = 100
_BOMB_MIN_BYTES = 1 << 20

Source = str | Path | bytes | IO[bytes]


class SpreadsheetError(DomainError):
    """The workbook is refused before it is read; the message is Chinese and short (field ``file``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


def limits() -> tuple[int, int, int]:
    """``(max inflated bytes, max rows, max columns)`` from the settings (see the module docstring)."""
    return (int(getattr(settings, "SPREADSHEET_MAX_MB", 100)) * 1024 * 1024,
            int(getattr(settings, "SPREADSHEET_MAX_ROWS", 200_000)),
            int(getattr(settings, "SPREADSHEET_MAX_COLUMNS", 200)))


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - ord("A") + 1)
    return number


def _as_file(source: Source) -> IO[bytes]:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, (str, Path)):
        return Path(source).open("rb")
    return source


def check_xlsx(source: Source) -> None:
    """Refuse ``source`` (path, bytes or binary file) unless it is a zip of sane size whose worksheets declare at
    most the allowed rows and columns. Raises :class:`SpreadsheetError`. A file object is rewound."""
    max_bytes, max_rows, max_columns = limits()
    fh = _as_file(source)
    start = fh.tell() if fh.seekable() else 0
    try:
        try:
            archive = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise SpreadsheetError("不是有效的 Excel（.xlsx）文件。") from None
        with archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            if total > max_bytes:
                raise SpreadsheetError(f"文件解压后达 {total // (1024 * 1024)} MB，超过上限 "
                                       f"{max_bytes // (1024 * 1024)} MB，未读取。请拆分后再导入。")
            for m in members:
                if m.file_size > _BOMB_MIN_BYTES and m.file_size > _BOMB_RATIO * max(m.compress_size, 1):
                    raise SpreadsheetError("文件压缩比异常（疑似压缩炸弹），未读取。")
            for m in members:
                if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml"):
                    with archive.open(m) as sheet:
                        head = sheet.read(8192)
                    found = _DIMENSION.search(head)
                    if not found:
                        continue
                    last_col = (found.group(3) or found.group(1) or b"").decode()
                    last_row = (found.group(4) or found.group(2) or b"").decode()
                    if last_row and int(last_row) > max_rows:
                        raise SpreadsheetError(f"工作表有 {int(last_row):,} 行，超过上限 {max_rows:,} 行，未读取。"
                                               "请拆分后再导入。")
                    if last_col and _column_number(last_col) > max_columns:
                        raise SpreadsheetError(f"工作表有 {_column_number(last_col):,} 列，超过上限 {max_columns} 列，"
                                               "未读取。")
    finally:
        if isinstance(source, (str, Path)):
            fh.close()
        elif fh.seekable():
            fh.seek(start)


def open_xlsx(source: Source) -> Any:
    """:func:`check_xlsx`, then openpyxl's read-only, values-only workbook (close it when done). Raises
    :class:`SpreadsheetError` for a refused or unreadable file."""
    from openpyxl import load_workbook

    check_xlsx(source)
    fh = _as_file(source) if not isinstance(source, (str, Path)) else source
    try:
        return load_workbook(fh, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        raise SpreadsheetError("不是有效的 Excel（.xlsx）文件，或文件已损坏。") from None


def rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sheet`` as value tuples, at most ``SPREADSHEET_MAX_ROWS`` (more: :class:`SpreadsheetError`)
    and each cut to ``SPREADSHEET_MAX_COLUMNS`` values."""
    _, max_rows, max_columns = limits()
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > max_rows:
            raise SpreadsheetError(f"工作表超过 {max_rows:,} 行，未导入。请拆分后再导入。")
        yield tuple(row[:max_columns])


def clip(value: object, length: int = 30) -> str:
    """``value`` as text for an error message, cut to ``length`` characters with an ellipsis."""
    text = "" if value is None else str(value)
    return text if len(text) <= length else text[:length] + "…"
