"""Duplicate messages in a message export (the tipdm .xlsx shape), for ``lvzhi find-duplicates``.

A *duplicate pair* is two messages whose same-matter score (:func:`lvzhi.smart.similar.same_matter_score`
through :func:`lvzhi.smart.similar.find_same_matter_pairs`, the code the similar-case panel of the pages uses to
mark a hit as the same matter, on ``title + "\\n" + body``) is at least the threshold; the default is
:data:`lvzhi.smart.similar.DUPLICATE_THRESHOLD`, the operating threshold chosen on the labelled pairs of
``bench/data/duplicates_labelled.tsv`` (see ``bench/bench_duplicates.py``).

The workbook is opened through :mod:`lvzhi.core.spreadsheets` (size, row and column limits). Only the columns
留言编号, 留言主题 and 留言详情 are required; header cells are compared after NFKC folding with spaces removed
(``留言 主题`` is 留言主题). Ids are kept as the file shows them (a whole number stored as ``188006.0`` is
``"188006"``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from lvzhi.core import spreadsheets
from lvzhi.core.errors import DomainError
from lvzhi.smart.similar import DUPLICATE_THRESHOLD, find_same_matter_pairs

__all__ = ["REQUIRED_COLUMNS", "ExportMessages", "duplicate_pairs", "read_export"]

REQUIRED_COLUMNS: tuple[str, ...] = ("留言编号", "留言主题", "留言详情")


@dataclass
class ExportMessages:
    """Messages read from an export: ``ids``, ``titles``, ``bodies`` in file order (one per distinct id), and
    ``repeated``: ``[(row number, id)]`` of rows skipped because their id appeared on an earlier row."""

    ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    repeated: list[tuple[int, str]] = field(default_factory=list)

    def texts(self) -> list[tuple[str, str]]:
        """``[(id, title + "\\n" + body)]``: the text the similarity engine compares."""
        return [(i, f"{t}\n{b}") for i, t, b in zip(self.ids, self.titles, self.bodies, strict=True)]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_key(value: object) -> str:
    return "".join(unicodedata.normalize("NFKC", _cell_text(value)).split())


def read_export(path: str | Path) -> ExportMessages:
    """Read the first sheet of a message export.

    Returns:
        :class:`ExportMessages`; blank rows are skipped, a row whose id repeats an earlier one is skipped and
        listed in ``repeated``.
    Raises:
        DomainError (field ``file``, Chinese message): the file does not exist, is not a valid .xlsx or is over
            the size limits, has no header, lacks one of :data:`REQUIRED_COLUMNS` (named), or a non-blank row
            has no 留言编号 (row number named).
    """
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"文件不存在：{path}", field="file")
    try:
        wb = spreadsheets.open_xlsx(path)
    except spreadsheets.SpreadsheetError as exc:
        raise DomainError(f"无法读取 {path.name}：{exc.message}", field="file") from None
    out = ExportMessages()
    try:
        if not wb.worksheets:
            raise DomainError(f"{path.name} 中没有工作表。", field="file")
        rows = spreadsheets.rows(wb.worksheets[0])
        col: dict[str, int] = {}
        header_row = 0
        for number, row in enumerate(rows, start=1):
            keys = [_header_key(c) for c in row]
            if any(keys):
                header_row = number
                col = {k: i for i, k in reversed(list(enumerate(keys))) if k}
                break
        if not header_row:
            raise DomainError(f"{path.name} 是空的，没有表头。", field="file")
        missing = [c for c in REQUIRED_COLUMNS if c not in col]
        if missing:
            raise DomainError(f"{path.name} 缺少列：" + "、".join(missing), field="file")
        i_id, i_title, i_body = (col[c] for c in REQUIRED_COLUMNS)
        seen: set[str] = set()
        for number, row in enumerate(rows, start=header_row + 1):
            def cell(i: int, row: tuple[object, ...] = row) -> str:
                return _cell_text(row[i]) if i < len(row) else ""
            msg_id, title, body = cell(i_id), cell(i_title), cell(i_body)
            if not (msg_id or title or body):
                continue
            if not msg_id:
                raise DomainError(f"{path.name} 第 {number} 行缺少留言编号。", field="file")
            if msg_id in seen:
                out.repeated.append((number, msg_id))
                continue
            seen.add(msg_id)
            out.ids.append(msg_id)
            out.titles.append(title)
            out.bodies.append(body)
    except spreadsheets.SpreadsheetError as exc:
        raise DomainError(f"{path.name}：{exc.message}", field="file") from None
    finally:
        wb.close()
    return out


def duplicate_pairs(messages: ExportMessages, threshold: float | None = None) -> list[tuple[str, str, float]]:
    """Every pair of messages scoring at least ``threshold`` (default :data:`DUPLICATE_THRESHOLD`), once each.

    Returns:
        ``[(a, b, score)]`` with ``a < b`` compared as strings, score in 0..1 (1.0 = same text after folding
        width, case, script and punctuation), sorted by decreasing score then ``a``, ``b``.
    Raises:
        ValueError: threshold outside 0..1 (Chinese message).
    """
    t = DUPLICATE_THRESHOLD if threshold is None else float(threshold)
    found = find_same_matter_pairs(messages.texts(), t)
    pairs = [(a, b, s) if a < b else (b, a, s) for a, b, s in found]
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs
