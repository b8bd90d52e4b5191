"""Reading a tally workbook (计票表): the paper ballots of one vote, one row per ballot.

Format (issue 7 §5): the FIRST sheet; its first row is the header — first cell ``选票编号``, then one column
per candidate headed by the candidate's number as printed on the ballot (``01``, ``02`` …); each following
row is one ballot: its number, then per candidate ``赞成``, ``反对``, ``弃权`` or empty.

Used by ``lvzhi count-votes`` and by the app's paper-tally import; no database.

Choices (documented because Excel changes what was typed):

- Candidate numbers are text. A header cell Excel stored as a number is shown as Excel shows it: ``1`` (or
  ``1.0``) becomes ``"1"``; with a zero-padded number format such as ``00`` it becomes ``"01"``.
- Rows whose every cell is empty are not ballots (trailing blank rows are common) and are skipped. A row
  with a ballot number and every mark empty IS a ballot: valid, abstaining on every candidate.
- Empty header cells after the last candidate are ignored; an empty header cell between candidates, a
  duplicate candidate number, a non-empty cell beyond the last candidate column, or a ballot number used
  twice make the workbook malformed (:class:`TallyError`), as does a workbook with no ballot at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO

from lvzhi.livelihood.counting import CountingError, Mark

HEADER_FIRST = "选票编号"


class TallyError(CountingError):
    """The workbook cannot be read as a tally; ``message`` (zh-Hans) says where."""


@dataclass(frozen=True)
class Tally:
    """A tally as read: candidate ``codes`` in header order, and per ballot its number (``None`` when the
    cell is empty) and its raw marks (one per candidate; not yet judged valid or not)."""

    codes: tuple[str, ...]
    ballot_ids: tuple[str | None, ...]
    ballots: tuple[tuple[Mark, ...], ...]


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def cell_text(value: object, number_format: str = "General") -> str:
    """A header or ballot-number cell as text, the way Excel shows it: numbers without a trailing ``.0``,
    zero-padded when the format is all zeros (``00`` → ``01``), text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        width = len(number_format) if re.fullmatch(r"0+", number_format or "") else 0
        return str(value).zfill(width)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def _mark(value: object) -> Mark:
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_tally(source: str | Path | IO[bytes]) -> Tally:
    """Read the tally in ``source`` (a path or a binary file). Raises :class:`TallyError` (zh-Hans message)
    when it is not an xlsx workbook or is malformed as described in the module docstring."""
    from openpyxl import load_workbook

    if isinstance(source, str | Path) and not Path(source).is_file():
        raise TallyError(f"找不到计票文件：{source}")
    try:
        workbook = load_workbook(source, data_only=True)
    except Exception:  # openpyxl raises zipfile, KeyError, InvalidFileException … for a non-xlsx file
        raise TallyError("无法读取计票文件：不是有效的 Excel 工作簿（.xlsx）。") from None
    try:
        if not workbook.worksheets:
            raise TallyError("计票文件没有工作表。")
        sheet = workbook.worksheets[0]
        rows = list(sheet.iter_rows())
    finally:
        workbook.close()
    if not rows or all(_blank(c.value) for c in rows[0]):
        raise TallyError(f"计票表缺少表头：第一行应为“{HEADER_FIRST}”和各候选项目编号。")
    header = list(rows[0])
    first = cell_text(header[0].value)
    if first != HEADER_FIRST:
        raise TallyError(f"计票表表头第一格应为“{HEADER_FIRST}”，实际为“{first}”。")
    while header and _blank(header[-1].value):
        header.pop()
    codes: list[str] = []
    for index, cell in enumerate(header[1:], start=1):
        code = cell_text(cell.value, cell.number_format)
        if not code:
            raise TallyError(f"计票表表头 {_column(index)}1 格为空：每一列应有候选项目编号。")
        if code in codes:
            raise TallyError(f"候选项目编号重复：“{code}”（表头 {_column(index)}1 格）。")
        codes.append(code)
    if not codes:
        raise TallyError("计票表表头没有候选项目编号。")

    ballot_ids: list[str | None] = []
    ballots: list[tuple[Mark, ...]] = []
    for row in rows[1:]:
        values = [c.value for c in row]
        if all(_blank(v) for v in values):
            continue
        line = row[0].row
        extra = [i for i, v in enumerate(values) if i > len(codes) and not _blank(v)]
        if extra:
            raise TallyError(f"第 {line} 行 {_column(extra[0])} 列超出候选项目列（表头只有 {len(codes)} 个候选项目）。")
        ballot_id = cell_text(values[0], row[0].number_format) if values else ""
        if ballot_id and ballot_id in ballot_ids:
            raise TallyError(f"选票编号重复：“{ballot_id}”（第 {line} 行）。")
        ballot_ids.append(ballot_id or None)
        marks = [_mark(v) for v in values[1:len(codes) + 1]]
        marks += [None] * (len(codes) - len(marks))
        ballots.append(tuple(marks))
    if not ballots:
        raise TallyError("计票表没有选票：表头下面至少应有一行选票。")
    return Tally(tuple(codes), tuple(ballot_ids), tuple(ballots))
