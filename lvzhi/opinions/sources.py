"""Readers for the public-opinion source files of the 2020 TipDM challenge (problem C).

Data source: ``shared/data/tipdm2020c/`` (see its README). Four message shapes are recognised by
their header row (first sheet, first non-empty row):

==============  =================================================================================
shape           columns (besides 留言编号, 留言用户, 留言主题, 留言时间, 留言详情)
==============  =================================================================================
``labelled``    一级分类 (filled)                                  — 附件2
``unlabelled``  一级分类 column present but empty, or absent      — 测试数据
``likes``       反对数, 点赞数                                     — 附件3
``replies``     答复意见, 答复时间                                 — 附件4
==============  =================================================================================

Quirks handled: ``留言时间`` stored partly as Excel dates and partly as strings such as
``2019/2/28 11:25:05`` / ``2019-06-20 20:38:47`` / ``2019年6月20日 20:38``; bodies starting with
``\\n\\t`` runs or full-width spaces; duplicate rows (reported, not dropped). Pure Python: no Django.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from lvzhi.core.dates import parse_datetime

__all__ = [
    "SourceFormatError",
    "SourceMessage",
    "SourceProposal",
    "SourceReport",
    "clean_text",
    "detect_shape",
    "parse_datetime",
    "read_labelled",
    "read_messages",
    "read_proposals",
    "read_taxonomy",
]

Shape = Literal["labelled", "unlabelled", "likes", "replies"]

BASE_COLUMNS: tuple[str, ...] = ("留言编号", "留言用户", "留言主题", "留言时间", "留言详情")
SHAPE_COLUMNS: dict[str, tuple[str, ...]] = {
    "likes": ("反对数", "点赞数"),
    "replies": ("答复意见", "答复时间"),
    "labelled": ("一级分类",),
}
TAXONOMY_COLUMNS: tuple[str, ...] = ("一级分类", "二级分类", "三级分类")


class SourceFormatError(ValueError):
    """A source file does not have the expected layout. The message (Chinese) names the problem."""


@dataclass(frozen=True, slots=True)
class SourceMessage:
    """One citizen message as read from a source file (text cleaned, nothing else changed).

    ``likes`` / ``dislikes`` are counts (None when the file has no such column); ``reply`` and
    ``replied_at`` only come from the replies shape; ``category`` is the first-level label or None.
    """

    external_id: str
    user: str
    title: str
    body: str
    submitted_at: datetime | None
    category: str | None = None
    likes: int | None = None
    dislikes: int | None = None
    reply: str | None = None
    replied_at: datetime | None = None


@dataclass(slots=True)
class SourceReport:
    """What a reader saw in a file.

    - ``rows_read``: data rows turned into messages (blank rows are skipped and counted separately).
    - ``duplicate_rows``: rows whose cleaned title and body equal those of an earlier row (same text,
      possibly another id/user/time); ``duplicate_groups`` lists the external ids of each such group.
    - ``identical_rows``: rows equal to an earlier row in every column except 留言编号.
    - ``unparsable_dates``: ``(row number in the sheet, column, raw value)`` for dates that could not be
      parsed (the message keeps ``None``).
    - ``stripped_whitespace``: cells whose leading/trailing whitespace (``\\n\\t``, full-width spaces) was
      removed.
    """

    path: str
    shape: str
    rows_read: int = 0
    blank_rows: int = 0
    duplicate_rows: int = 0
    identical_rows: int = 0
    duplicate_groups: list[list[str]] = field(default_factory=list)
    unparsable_dates: list[tuple[int, str, str]] = field(default_factory=list)
    stripped_whitespace: int = 0
    excel_dates: int = 0
    string_dates: int = 0


@dataclass(frozen=True, slots=True)
class SourceProposal:
    """One CPPCC proposal from ``jszx2019-proposals/proposals.csv``."""

    external_id: str
    number: str
    proposer: str
    title: str
    category: str
    content: str
    submitted_at: datetime | None

    @property
    def text(self) -> str:
        """Title (案由) and content joined by a newline: the classifier's input."""
        return f"{self.title}\n{self.content}"


# --------------------------------------------------------------------------------------------------
# Cell helpers
# --------------------------------------------------------------------------------------------------

_WS_EDGE = " \t\r\n\u3000\u00a0\u200b\ufeff"
_INNER_WS_RE = re.compile(r"[ \t\u3000\u00a0]*\n[\s\u3000]*")
_INNER_TABS_RE = re.compile(r"[\t\u00a0]+")


def clean_text(value: object) -> str:
    """Cell value → text: None → ``""``; leading/trailing whitespace incl. ``\\n\\t`` runs and
    full-width spaces removed; inner line breaks with surrounding indentation collapsed to one ``\\n``;
    tabs inside a line become one space. Characters are otherwise unchanged (no width folding)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip(_WS_EDGE)
    if "\n" in text or "\t" in text:
        text = _INNER_WS_RE.sub("\n", text)
        text = _INNER_TABS_RE.sub(" ", text)
    return text




def _parse_int(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError as exc:
        raise ValueError(f"无法识别的数字：{text!r}") from exc


def _header_key(value: object) -> str:
    return unicodedata.normalize("NFKC", clean_text(value)).replace(" ", "")


def _iter_xlsx_rows(path: Path) -> Iterator[tuple[object, ...]]:
    from lvzhi.core import spreadsheets

    try:
        wb = spreadsheets.open_xlsx(path)
    except spreadsheets.SpreadsheetError as exc:
        raise SourceFormatError(f"无法打开 Excel 文件 {path.name}：{exc.message}") from exc
    try:
        ws = wb.worksheets[0]
        try:
            yield from spreadsheets.rows(ws)
        except spreadsheets.SpreadsheetError as exc:
            raise SourceFormatError(f"{path.name}：{exc.message}") from exc
    finally:
        wb.close()


def _find_header(rows: Iterator[tuple[object, ...]], path: Path) -> tuple[int, list[str]]:
    for number, row in enumerate(rows, start=1):
        keys = [_header_key(c) for c in row]
        if any(keys):
            return number, keys
    raise SourceFormatError(f"文件 {path.name} 是空的，没有表头")


def _missing_message(missing: Sequence[str]) -> str:
    return "缺少列：" + "、".join(missing)


def detect_shape(header: Sequence[str]) -> Shape:
    """Decide the message shape from a header row (cell texts, whitespace ignored).

    Returns ``"replies"`` when 答复意见 and 答复时间 are present, else ``"likes"`` when 反对数 and 点赞数
    are, else ``"labelled"`` when 一级分类 is (the reader downgrades it to ``"unlabelled"`` if every
    category cell is empty), else ``"unlabelled"``.

    Raises:
        SourceFormatError: a base column is missing, e.g. ``缺少列：留言主题、留言详情``; or half of a
            replies/likes column pair is present (the other half is named as missing).
    """
    keys = {_header_key(h) for h in header}
    missing = [c for c in BASE_COLUMNS if c not in keys]
    for shape in ("replies", "likes"):
        cols = SHAPE_COLUMNS[shape]
        present = [c for c in cols if c in keys]
        if present and len(present) < len(cols):
            missing += [c for c in cols if c not in keys]
    if missing:
        raise SourceFormatError(_missing_message(missing))
    if all(c in keys for c in SHAPE_COLUMNS["replies"]):
        return "replies"
    if all(c in keys for c in SHAPE_COLUMNS["likes"]):
        return "likes"
    if "一级分类" in keys:
        return "labelled"
    return "unlabelled"


def read_messages(path: str | Path) -> tuple[list[SourceMessage], SourceReport]:
    """Read one message export (.xlsx, first sheet) of any of the four shapes.

    Args:
        path: an ``.xlsx`` file such as ``messages_with_likes_附件3.xlsx``.
    Returns:
        ``(messages, report)``: messages in file order (duplicates kept; see ``report``), and a
        :class:`SourceReport` with the detected shape and the quirks counted.
    Raises:
        SourceFormatError: the file cannot be opened, has no header, or lacks required columns
            (message such as ``缺少列：留言主题、留言详情``).
        FileNotFoundError: ``path`` does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"文件不存在：{path}")
    rows = _iter_xlsx_rows(path)
    header_row, header = _find_header(rows, path)
    shape: Shape = detect_shape(header)
    col = {name: i for i, name in reversed(list(enumerate(header))) if name}
    report = SourceReport(path=str(path), shape=shape)

    def cell(row: tuple[object, ...], name: str) -> object:
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else None

    def text_cell(row: tuple[object, ...], name: str) -> str:
        raw = cell(row, name)
        text = clean_text(raw)
        if isinstance(raw, str) and raw != text and raw.strip(_WS_EDGE) != raw:
            report.stripped_whitespace += 1
        return text

    def date_cell(row: tuple[object, ...], name: str, row_number: int) -> datetime | None:
        raw = cell(row, name)
        if isinstance(raw, datetime | date):
            report.excel_dates += 1
        elif isinstance(raw, str) and raw.strip():
            report.string_dates += 1
        try:
            return parse_datetime(raw)
        except ValueError:
            report.unparsable_dates.append((row_number, name, str(raw)))
            return None

    messages: list[SourceMessage] = []
    seen_text: dict[tuple[str, str], list[str]] = {}
    seen_full: set[tuple[object, ...]] = set()
    for row_number, row in enumerate(rows, start=header_row + 1):
        if not any(c is not None and str(c).strip() for c in row):
            report.blank_rows += 1
            continue
        title = text_cell(row, "留言主题")
        body = text_cell(row, "留言详情")
        category = text_cell(row, "一级分类") or None
        msg = SourceMessage(
            external_id=clean_text(cell(row, "留言编号")),
            user=clean_text(cell(row, "留言用户")),
            title=title,
            body=body,
            submitted_at=date_cell(row, "留言时间", row_number),
            category=category,
        )
        if shape == "likes":
            msg = _replace(msg, likes=_safe_int(cell(row, "点赞数")), dislikes=_safe_int(cell(row, "反对数")))
        elif shape == "replies":
            reply = text_cell(row, "答复意见") or None
            msg = _replace(msg, reply=reply, replied_at=date_cell(row, "答复时间", row_number))
        messages.append(msg)
        key = (title, body)
        seen_text.setdefault(key, []).append(msg.external_id)
        full = (msg.user, title, body, msg.submitted_at, category, msg.likes, msg.dislikes, msg.reply)
        if full in seen_full:
            report.identical_rows += 1
        seen_full.add(full)

    report.rows_read = len(messages)
    report.duplicate_groups = [ids for ids in seen_text.values() if len(ids) > 1]
    report.duplicate_rows = sum(len(ids) - 1 for ids in report.duplicate_groups)
    if shape == "labelled" and not any(m.category for m in messages):
        report.shape = "unlabelled"
    return messages, report


def _safe_int(value: object) -> int | None:
    try:
        return _parse_int(value)
    except ValueError:
        return None


def _replace(msg: SourceMessage, **changes: object) -> SourceMessage:
    from dataclasses import replace

    return replace(msg, **changes)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Labelled text, taxonomy, proposals
# --------------------------------------------------------------------------------------------------

TextFrom = Literal["title", "body", "title+body"]


def read_labelled(path: str | Path, *, text_from: TextFrom = "title+body") -> list[tuple[str, str]]:
    """Read labelled texts for training: ``[(text, label), ...]`` in file order.

    Accepted layouts:

    - ``.tsv`` / ``.txt`` with a header ``text<TAB>label`` (``titles_labelled.tsv``,
      ``bodies_labelled.tsv``); column order follows the header.
    - ``.csv`` with header columns ``text`` and ``label``.
    - ``.xlsx`` with columns ``text`` and ``label``, or a message export with ``留言主题`` /
      ``留言详情`` and ``一级分类`` — ``text_from`` chooses the title, the body, or both joined by a
      newline.

    Rows with an empty text or label are skipped; text is cleaned with :func:`clean_text`.

    Raises:
        SourceFormatError: missing columns (message ``缺少列：…``) or unknown extension.
        FileNotFoundError: ``path`` does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix in {".tsv", ".txt", ".csv"}:
        delimiter = "," if suffix == ".csv" else "\t"
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter, quoting=csv.QUOTE_NONE if delimiter == "\t" else 0)
            try:
                header = [_header_key(h).lower() for h in next(reader)]
            except StopIteration:
                raise SourceFormatError(f"文件 {path.name} 是空的，没有表头") from None
            rows = list(reader)
        missing = [c for c in ("text", "label") if c not in header]
        if missing:
            raise SourceFormatError(_missing_message(missing))
        ti, li = header.index("text"), header.index("label")
        out = []
        for r in rows:
            if len(r) <= max(ti, li):
                continue
            text, label = clean_text(r[ti]), clean_text(r[li])
            if text and label:
                out.append((text, label))
        return out
    if suffix not in {".xlsx", ".xlsm"}:
        raise SourceFormatError(f"不支持的文件类型：{path.suffix or '(无扩展名)'}，请使用 .tsv、.csv 或 .xlsx")
    rows_it = _iter_xlsx_rows(path)
    _, header = _find_header(rows_it, path)
    low = [h.lower() for h in header]
    if "text" in low and "label" in low:
        ti, li = low.index("text"), low.index("label")
        pairs = ((clean_text(r[ti] if ti < len(r) else None), clean_text(r[li] if li < len(r) else None))
                 for r in rows_it)
        return [(t, lab) for t, lab in pairs if t and lab]
    needed = {"title": ["留言主题"], "body": ["留言详情"], "title+body": ["留言主题", "留言详情"]}[text_from]
    missing = [c for c in [*needed, "一级分类"] if c not in header]
    if missing:
        if not any(c in header for c in ("留言主题", "留言详情")):
            missing = ["text", "label"] if "一级分类" not in header else ["text"]
        raise SourceFormatError(_missing_message(missing))
    idx = [header.index(c) for c in needed]
    li = header.index("一级分类")
    out = []
    for cells in rows_it:
        parts = [clean_text(cells[i] if i < len(cells) else None) for i in idx]
        text = "\n".join(p for p in parts if p)
        label = clean_text(cells[li] if li < len(cells) else None)
        if text and label:
            out.append((text, label))
    return out


def read_taxonomy(path: str | Path) -> list[tuple[str, str, str]]:
    """Read the three-level category tree (``taxonomy_附件1.xlsx``) as ``[(level1, level2, level3)]``.

    Blank cells (merged cells in some exports) inherit the value above; exact duplicate rows are
    dropped, order is kept; a row with no third level gives ``level3 == ""``.

    Raises:
        SourceFormatError: missing columns, e.g. ``缺少列：三级分类``.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"文件不存在：{path}")
    rows = _iter_xlsx_rows(path)
    _, header = _find_header(rows, path)
    missing = [c for c in TAXONOMY_COLUMNS if c not in header]
    if missing:
        raise SourceFormatError(_missing_message(missing))
    idx = [header.index(c) for c in TAXONOMY_COLUMNS]
    out: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    prev = ["", "", ""]
    for r in rows:
        vals = [clean_text(r[i] if i < len(r) else None) for i in idx]
        if not any(vals):
            continue
        for level in range(2):
            if not vals[level]:
                vals[level] = prev[level]
        prev = vals
        item = (vals[0], vals[1], vals[2])
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


PROPOSAL_COLUMNS: tuple[str, ...] = ("pkid", "proposal_number", "personnel_name", "reason", "type", "content")


def read_proposals(path: str | Path) -> list[SourceProposal]:
    """Read ``jszx2019-proposals/proposals.csv`` (UTF-8 CSV, one proposal per record).

    ``content`` keeps its line breaks (from PDF extraction) but loses indentation runs; ``title`` is
    the 案由 (``reason``); ``category`` is ``type`` (14 categories).

    Raises:
        SourceFormatError: missing columns (``缺少列：…``).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"文件不存在：{path}")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = [_header_key(f) for f in (reader.fieldnames or [])]
        missing = [c for c in PROPOSAL_COLUMNS if c not in fields]
        if missing:
            raise SourceFormatError(_missing_message(missing))
        out = []
        for rec in reader:
            try:
                when = parse_datetime(rec.get("publish_time"))
            except ValueError:
                when = None
            out.append(
                SourceProposal(
                    external_id=clean_text(rec["pkid"]),
                    number=clean_text(rec["proposal_number"]),
                    proposer=clean_text(rec["personnel_name"]),
                    title=clean_text(rec["reason"]),
                    category=clean_text(rec["type"]),
                    content=clean_text(rec["content"]),
                    submitted_at=when,
                )
            )
    return out
