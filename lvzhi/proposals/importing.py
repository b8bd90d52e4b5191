"""Importing real proposals from a CSV file (the shape of ``shared/data/jszx2019-proposals/proposals.csv``).

The file has one proposal per record with the columns ``personnel_name`` (提案人), ``pkid`` (the source's
id), ``proposal_number`` (编号), ``publish_time``, ``reason`` (案由), ``type`` (类别) and ``content`` (the full
text, extracted from PDF); ``rownum`` and ``year`` are read when present and otherwise ignored.

How a file is imported (:func:`read_proposals_file` then :func:`import_proposals`):

1. **Encoding** (:func:`decode_bytes`): UTF-8 (with or without BOM), otherwise what ``charset-normalizer``
   detects among the Chinese encodings (GBK/GB2312 are read as their superset GB18030). A file that is binary
   (NUL bytes, an Excel workbook, a zip) or decodes to text that is not Chinese is refused with
   “文件编码无法识别…”. Nothing is guessed silently.
2. **Columns**: a missing required column is refused naming it (``缺少列：reason、content``).
3. **Every row is validated before anything is written**: an empty or over-long field, an unreadable date or
   a duplicate ``pkid`` is reported with its row number (the header is row 1, as a spreadsheet shows the
   file) and the field; when any row is bad, nothing is imported (:class:`ProposalImportError` holds all
   the row errors).
4. **Proposer** (:func:`classify_proposer`): see there — a person becomes a :class:`~lvzhi.members.models.Member`
   of the session's term, an organisation an :class:`~lvzhi.members.models.Organisation` of the council,
   both created on first sight (by name).
5. **Text** (:func:`split_sections`): PDF line breaks are rejoined and the text is split into 情况 / 分析 /
   具体建议 by its section headings.
6. **Writing**: each proposal is created (``source="import"``, ``external_id`` = ``pkid``, ``serial`` = the
   original 编号, ``category`` = ``type``, created as needed) and **submitted** through
   :mod:`lvzhi.proposals.actions` with ``at=`` the original ``publish_time``, so the audit log and the
   timeline are real. The whole file is one transaction: a row refused by an action rolls back every row
   (nothing of the file is imported). A proposal whose ``pkid`` the council already has (from an earlier
   import) is skipped, so importing a file twice creates nothing the second time. On SQLite the import holds
   the write lock while it runs (about a second per hundred rows here); other writers wait for it.

Target: the caller names a session (:func:`import_proposals` ``session=``). Without one, :func:`default_session`
uses — creating it on first use — the council 江苏省政协 (“中国人民政治协商会议江苏省委员会”), its 12th term and
the 2nd session, whose plenary window is taken from the file's dates (earliest ``publish_time`` to the
latest), since that is when the source's 2019 plenary proposals were published.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lvzhi.core import audit, tasks
from lvzhi.core.dates import parse_datetime
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.jobs import report_progress
from lvzhi.core.models import Job
from lvzhi.members import actions as org
from lvzhi.members.access import is_council_staff
from lvzhi.members.choices import Role
from lvzhi.members.models import Council, Member, Organisation, Session, Term
from lvzhi.proposals import actions as act
from lvzhi.proposals.choices import ProposerKind
from lvzhi.proposals.models import Category, Proposal

logger = logging.getLogger(__name__)

#: Columns a file must have, and what each becomes.
REQUIRED_COLUMNS: tuple[str, ...] = ("personnel_name", "pkid", "proposal_number", "publish_time", "reason",
                                     "type", "content")
COLUMN_LABELS: dict[str, str] = {"personnel_name": "提案人", "pkid": "编号(pkid)", "proposal_number": "提案编号",
                                 "publish_time": "提交时间", "reason": "案由", "type": "类别", "content": "正文"}
SOURCE = "import"
JOB_KIND = "import_proposals"

DEFAULT_COUNCIL_NAME = "中国人民政治协商会议江苏省委员会"
DEFAULT_COUNCIL_SHORT = "江苏省政协"
DEFAULT_TERM, DEFAULT_SESSION = 12, 2


class ProposalImportError(DomainError):
    """The file cannot be imported. ``message`` says why in Chinese; ``errors`` lists the bad rows."""

    def __init__(self, message: str, *, errors: list[RowError] | None = None, field: str | None = "file") -> None:
        super().__init__(message, field=field)
        self.errors = errors or []


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad field of one row. ``row`` counts the header as row 1 (as a spreadsheet shows the file)."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行「{COLUMN_LABELS.get(self.field, self.field)}」：{self.message}"


@dataclass(frozen=True, slots=True)
class Proposer:
    """Who submitted a proposal, as read from ``personnel_name``.

    ``kind`` is a :class:`~lvzhi.proposals.choices.ProposerKind` value: ``member`` for a person, otherwise the
    organisation's kind. ``co_count`` is the number of unnamed co-proposers (``张三等11人`` → 10).
    """

    kind: str
    name: str
    co_count: int = 0

    @property
    def is_organisation(self) -> bool:
        return self.kind != ProposerKind.MEMBER


@dataclass(slots=True)
class ImportRow:
    """One validated row, ready to be written. ``submitted_at`` is timezone-aware (the site's zone)."""

    row: int
    external_id: str
    number: str
    proposer: Proposer
    title: str
    category: str
    submitted_at: datetime
    situation: str
    analysis: str
    suggestions: str
    raw_proposer: str


@dataclass(slots=True)
class ImportResult:
    """Counts of one import: ``created`` proposals and ``skipped`` (already imported)."""

    total: int = 0
    created: int = 0
    skipped: int = 0
    session_id: int | None = None

    def summary(self) -> str:
        """The result in one Chinese sentence, e.g. ``共 350 条：新建 350 件，跳过 0 件（已导入）。``"""
        return f"共 {self.total} 条：新建 {self.created} 件，跳过 {self.skipped} 件（已导入）。"


# ---------------------------------------------------------------------------------------------- decoding

_CHINESE_ENCODINGS = {"gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950", "cp936", "utf_16",
                      "utf_16_le", "utf_16_be"}
_UNRECOGNISED = "文件编码无法识别：请将文件另存为 UTF-8 或 GB18030（GBK）编码的 CSV 文件后重新导入。"


def _looks_binary(data: bytes) -> str | None:
    """A reason in Chinese when ``data`` is clearly not a text file, else ``None``."""
    head = data[:4096]
    if head.startswith(b"PK\x03\x04"):
        return "文件是压缩包或 Excel 工作簿，不是 CSV：请在 Excel 中“另存为”CSV（UTF-8）后重新导入。"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "文件是旧版 Excel/Word 文档，不是 CSV：请另存为 CSV（UTF-8）后重新导入。"
    if head.startswith(b"%PDF"):
        return "文件是 PDF 文档，不是 CSV，无法导入。"
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "文件是二进制文件，不是 CSV 文本文件，无法导入。"
    return None


def _plausible_chinese(text: str) -> bool:
    """True when ``text`` reads as Chinese/ASCII: few control characters, and its non-ASCII characters are
    mostly common CJK ideographs and punctuation (wrongly decoded bytes give rare or private-use ones)."""
    sample = text[:200_000]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t")
    if controls > max(2, len(sample) // 1000):
        return False
    non_ascii = [ch for ch in sample if ord(ch) > 127]
    if not non_ascii:
        return True
    good = sum(1 for ch in non_ascii if "\u4e00" <= ch <= "\u9fa5" or "\u3000" <= ch <= "\u303f"
               or "\uff00" <= ch <= "\uffef" or ch in "\u00a0\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u00d7")
    return good / len(non_ascii) >= 0.9


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a CSV file's bytes; returns ``(text, encoding)`` with ``encoding`` one of ``utf-8-sig``,
    ``utf-8``, ``utf-16`` or ``gb18030``.

    Order: a UTF-8 BOM; strict UTF-8; otherwise ``charset-normalizer``'s best guess when it is a Chinese
    encoding (GBK and GB2312 are decoded as their superset GB18030), falling back to a strict GB18030
    decode. The decoded text must read as Chinese (:func:`_plausible_chinese`).

    Raises :class:`ProposalImportError` (field ``file``): binary input, or no encoding giving readable text
    (“文件编码无法识别…”).
    """
    import charset_normalizer

    if not data.strip():
        raise ProposalImportError("文件为空。")
    reason = _looks_binary(data)
    if reason:
        raise ProposalImportError(reason)
    candidates: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        candidates.append("utf-8-sig")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates.append("utf-16")
    else:
        candidates.append("utf-8")
        best = charset_normalizer.from_bytes(data[:500_000]).best()
        guessed = best.encoding.lower() if best is not None else ""
        if guessed in _CHINESE_ENCODINGS and not guessed.startswith("utf_16"):
            candidates.append("gb18030" if guessed in ("gbk", "gb2312", "cp936") else guessed)
        candidates.append("gb18030")
    for encoding in dict.fromkeys(candidates):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible_chinese(text):
            return text, encoding
    raise ProposalImportError(_UNRECOGNISED)


# ---------------------------------------------------------------------------------------------- proposers

#: Names of party groups (民主党派 and 工商联, counted together as 党派 in CPPCC statistics).
PARTY_MARKERS = ("中国共产党", "中共", "民革", "民盟", "民建", "民进", "农工党", "农工民主党", "致公党", "九三学社",
                 "台盟", "工商联", "无党派")
#: People's organisations (人民团体).
PEOPLES_ORG_MARKERS = ("总工会", "工会", "共青团", "团省委", "团市委", "妇联", "侨联", "台联", "科协", "青联", "文联",
                       "社科联", "残联", "红十字会")
#: Any of these in a name longer than a personal name marks an organisation.
ORG_MARKERS = ("委员会", "委", "会", "党", "学社", "联", "界", "团", "组", "盟", "协", "局", "院", "办", "厅")
_PLACE_PREFIXES = ("省", "市", "县", "区", "全国", "中国", "自治")
_JOINT_RE = re.compile(r"^(?P<name>.+?)等\s*(?P<n>\d+)\s*(?:人|位委员|名委员)$")


def classify_proposer(raw: str) -> Proposer:
    """Decide whether ``personnel_name`` names a person or an organisation, and which kind.

    Rules, in order:

    - ``XX等N人`` is a joint proposal: the person ``XX`` with ``N-1`` unnamed co-proposers (the source names
      only the first; they cannot be invited as co-signers, so the proposal is imported as ``XX``'s own and
      the count is kept in the import's audit entry).
    - A name with a middle dot (``阿不都·热合曼``) is a person.
    - A party or people's-organisation marker anywhere (:data:`PARTY_MARKERS`, :data:`PEOPLES_ORG_MARKERS`:
      民进, 九三学社, 工商联, 侨联…) makes an organisation: 党派团体 or 人民团体.
    - A name containing ``政协`` and ending in ``委员会`` is a special committee (专门委员会, e.g.
      ``省政协教卫体委员会``); one ending in ``界`` or ``界别`` a sector; ``委员小组`` a member group.
    - Otherwise an organisation marker (:data:`ORG_MARKERS`: 委, 会, 党, 学社, 联, 界…) makes an organisation
      only when the name is longer than a personal name (five characters or more) or starts with a place
      prefix (省, 市, 县…): Chinese personal names have two to four characters and may contain 会 or 联.
    - Everything else is a person.
    """
    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw or ""))
    co_count = 0
    m = _JOINT_RE.match(name)
    if m:
        name, co_count = m.group("name"), max(int(m.group("n")) - 1, 0)
    if "·" in name or "•" in name:
        return Proposer(ProposerKind.MEMBER, name, co_count)
    if "政协" in name and name.endswith("委员会"):
        return Proposer(ProposerKind.SPECIAL_COMMITTEE, name, co_count)
    if "委员小组" in name:
        return Proposer(ProposerKind.MEMBER_GROUP, name, co_count)
    if any(marker in name for marker in PARTY_MARKERS):
        return Proposer(ProposerKind.PARTY_GROUP, name, co_count)
    if any(marker in name for marker in PEOPLES_ORG_MARKERS):
        return Proposer(ProposerKind.PEOPLES_ORGANISATION, name, co_count)
    if name.endswith(("界", "界别")) and len(name) >= 3:
        return Proposer(ProposerKind.SECTOR, name, co_count)
    if any(marker in name for marker in ORG_MARKERS) and (len(name) >= 5 or name.startswith(_PLACE_PREFIXES)):
        return Proposer(ProposerKind.PEOPLES_ORGANISATION, name, co_count)
    return Proposer(ProposerKind.MEMBER, name, co_count)


# ---------------------------------------------------------------------------------------------- text

_CJK = r"\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”‘’"
_PARA_RE = re.compile(r"[ \t]*[\u00a0\u3000][\u00a0\u3000 \t]*")
_SPACE_RE = re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])")
_SENTENCE_END = "。！？；：!?;:"
_LINEBREAK_RE = re.compile(rf"([{re.escape(_SENTENCE_END)}])?[ \t]*\n[ \t]*")

_SECTION_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (long headings: accepted even without a colon after a boundary; short ones: colon needed)
    "situation": (("调研情况", "基本情况", "背景情况", "现状"), ("情况", "背景")),
    "analysis": (("问题分析", "存在问题", "存在的问题", "主要问题", "原因分析"), ("分析", "问题")),
    "suggestions": (("具体建议", "对策建议", "意见建议", "措施建议", "工作建议"), ("建议", "对策")),
}
_ORDER = ("situation", "analysis", "suggestions")
_FORM_LABELS = {"situation": "调研情况", "analysis": "问题分析", "suggestions": "具体建议"}
_NUM = r"(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])?"
_BOUNDARY = rf"(?:(?<=^)|(?<=\n)|(?<=[{re.escape('。！？；')}]))"


def _heading_re(kind: str) -> re.Pattern[str]:
    long_words, short_words = _SECTION_WORDS[kind]
    words = "|".join((*long_words, *short_words))
    numbered = _NUM.rstrip("?")
    form_label = _FORM_LABELS[kind]
    extra = r"|(?<=[。！？；\n])具体建议(?![的和与])" if kind == "suggestions" else ""  # 。具体建议率先启动…
    return re.compile(
        rf"{form_label}[：:]\s*"  # the source form's own labels, even run into the previous line
        rf"|{_BOUNDARY}(?:{_NUM}(?:{words})(?:[：:]\s*|(?=\n))"  # 分析： / 三、建议⏎
        rf"|{numbered}(?:{'|'.join(long_words)}))"  # 三、意见建议 followed by the text
        rf"{extra}",
        re.MULTILINE)


_HEADINGS = {kind: _heading_re(kind) for kind in _ORDER}
_LEADIN_RE = re.compile(r"建议如下|如下建议|以下建议|几点建议|建议[：:]|对策[：:]|措施[：:]")


def rejoin_lines(text: str) -> str:
    """Undo PDF extraction: a line break inside a sentence is removed (the line was broken by the page
    width), one after a sentence end (。！？；：) is kept as a paragraph break; runs of no-break or
    full-width spaces (the PDF's paragraph indents) become paragraph breaks; spaces next to Chinese
    characters are dropped (``2015 年 4 月`` → ``2015年4月``). Returns paragraphs joined by ``\\n``."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _PARA_RE.sub("\n\n", text)
    paragraphs: list[str] = []
    for para in re.split(r"\n[ \t]*\n", text):
        para = _LINEBREAK_RE.sub(lambda m: m.group(1) + "\n" if m.group(1) else "", para.strip())
        paragraphs.extend(_SPACE_RE.sub("", line).strip() for line in para.split("\n"))
    return "\n".join(p for p in paragraphs if p)


def _strip_heading(kind: str, text: str) -> str:
    """Drop repeated headings at the start of a section (``问题分析：二、问题分析：``)."""
    pattern = _HEADINGS[kind]
    while True:
        m = pattern.match(text)
        if m is None or m.end() == 0:
            return text.strip()
        text = text[m.end():].lstrip()


def split_sections(content: str) -> tuple[str, str, str]:
    """Split a proposal's full text into ``(situation, analysis, suggestions)`` (情况, 分析, 具体建议).

    The text is first cleaned by :func:`rejoin_lines`. Headings are found at the start of the text, of a
    paragraph or of a sentence, optionally numbered (``一、``, ``1.``, ``（一）``): 调研情况/基本情况/现状/情况,
    问题分析/存在问题/主要问题/分析, 具体建议/对策建议/意见建议/建议 (the short forms only with a colon).
    Sections follow in that order; a repeated heading stays inside its section (and is dropped at its
    start). Text before the first heading belongs to the situation.

    When the text has no suggestions heading, the suggestions start at the sentence introducing them
    (``为此建议：``, ``提出如下建议``, ``建议如下``…), searched after the last heading found; failing that, the
    last section found (or the whole text, when there is none) is taken as the suggestions, since
    proposals end with them and submitting needs them. Never loses text: the three parts together hold all
    of the cleaned text.
    """
    text = rejoin_lines(content)
    found: list[tuple[int, int, str]] = []  # (start, end of heading, kind)
    last = -1
    candidates = sorted((m.start(), m.end(), kind) for kind in _ORDER for m in _HEADINGS[kind].finditer(text)
                        if m.end() > m.start())
    for start, end, kind in candidates:
        index = _ORDER.index(kind)
        if index > last and (not found or start >= found[-1][1]):
            found.append((start, end, kind))
            last = index
    parts = {"situation": "", "analysis": "", "suggestions": ""}
    preamble = text[:found[0][0]].strip() if found else text
    for i, (_start, end, kind) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        parts[kind] = _strip_heading(kind, text[end:stop])
    if preamble and found:
        parts["situation"] = (preamble + "\n" + parts["situation"]).strip()
    if not found:
        parts["situation"] = preamble
    if not parts["suggestions"]:
        source_kind = found[-1][2] if found else "situation"
        body = parts[source_kind]
        m = _LEADIN_RE.search(body)
        if m is not None:
            cut = max(body.rfind(ch, 0, m.start()) for ch in "。！？\n") + 1
            parts[source_kind], parts["suggestions"] = body[:cut].strip(), body[cut:].strip()
        else:
            parts[source_kind], parts["suggestions"] = "", body
    return parts["situation"], parts["analysis"], parts["suggestions"]


# ---------------------------------------------------------------------------------------------- reading


def _clean(value: str | None) -> str:
    return (value or "").replace("\ufeff", "").strip(" \t\r\n\u3000\u00a0")


def read_proposals_file(source: str | Path | bytes) -> list[ImportRow]:
    """Read and validate a proposals CSV (a path or the file's bytes); returns the rows in file order.

    Every row is checked before returning; raises :class:`ProposalImportError` with ``errors`` listing every
    bad row (row number counting the header as row 1, field, message) — or, for a file-level problem
    (encoding, binary, missing columns, no rows), with the reason in ``message`` and no row errors.
    """
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        if not path.is_file():
            raise ProposalImportError(f"文件不存在：{path}")
        data = path.read_bytes()
    text, _encoding = decode_bytes(data)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [unicodedata.normalize("NFKC", _clean(h)).lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise ProposalImportError(f"文件不是有效的 CSV：{exc}") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ProposalImportError(f"缺少列：{'、'.join(missing)}（需要的列：{'、'.join(REQUIRED_COLUMNS)}）。")
    reader.fieldnames = header
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ProposalImportError(f"文件不是有效的 CSV：{exc}") from None
    tz = timezone.get_current_timezone()
    for index, record in enumerate(records, start=2):
        values = {k: _clean(record.get(k)) for k in REQUIRED_COLUMNS}
        if not any(values.values()):
            continue
        row_errors: list[RowError] = []

        def bad(field: str, message: str, row: int = index, sink: list[RowError] = row_errors) -> None:
            sink.append(RowError(row, field, message))

        for column in ("pkid", "personnel_name", "reason", "type", "content", "publish_time"):
            if not values[column]:
                bad(column, "不能为空")
        pkid = values["pkid"]
        if len(pkid) > 64:
            bad("pkid", f"不能超过 64 个字符（现有 {len(pkid)} 个）")
        elif pkid in seen:
            bad("pkid", f"与第 {seen[pkid]} 行重复")
        elif pkid:
            seen[pkid] = index
        if len(values["reason"]) > 200:
            bad("reason", f"不能超过 200 个字（现有 {len(values['reason'])} 个）")
        if len(values["type"]) > 50:
            bad("type", "不能超过 50 个字")
        if len(values["proposal_number"]) > 30:
            bad("proposal_number", "不能超过 30 个字符")
        when: datetime | None = None
        if values["publish_time"]:
            try:
                when = parse_datetime(values["publish_time"])
            except ValueError:
                bad("publish_time", f"无法识别的日期「{values['publish_time'][:30]}」")
        proposer = classify_proposer(values["personnel_name"]) if values["personnel_name"] else None
        if proposer is not None:
            limit = 100 if proposer.is_organisation else 50
            if not proposer.name:
                bad("personnel_name", "无法识别提案人")
            elif len(proposer.name) > limit:
                bad("personnel_name", f"不能超过 {limit} 个字")
        situation = analysis = suggestions = ""
        if values["content"]:
            situation, analysis, suggestions = split_sections(values["content"])
            if not suggestions:
                bad("content", "正文为空")
        if row_errors:
            errors.extend(row_errors)
            continue
        assert when is not None and proposer is not None
        rows.append(ImportRow(
            row=index, external_id=pkid, number=values["proposal_number"], proposer=proposer,
            title=values["reason"], category=values["type"],
            submitted_at=timezone.make_aware(when, tz) if timezone.is_naive(when) else when,
            situation=situation, analysis=analysis, suggestions=suggestions,
            raw_proposer=values["personnel_name"]))
    if errors:
        shown = "；".join(str(e) for e in errors[:5])
        more = f"（另有 {len(errors) - 5} 处）" if len(errors) > 5 else ""
        raise ProposalImportError(f"文件中有 {len(errors)} 处错误，未导入任何提案：{shown}{more}", errors=errors)
    if not rows:
        raise ProposalImportError("文件中没有提案数据。")
    return rows


def check_rows_for_session(rows: Iterable[ImportRow], session: Session) -> list[RowError]:
    """Row errors the submission rules would raise in ``session``: sectors and member groups submit only
    during the plenary [R1][R2]."""
    errors = []
    for row in rows:
        if row.proposer.kind in (ProposerKind.SECTOR, ProposerKind.MEMBER_GROUP):
            day = timezone.localdate(row.submitted_at)
            if not session.during_plenary(day):
                errors.append(RowError(row.row, "personnel_name",
                                       f"界别和委员小组只能在全体会议期间提出提案（{day:%Y-%m-%d} 不在会期内）"))
    return errors


# ---------------------------------------------------------------------------------------------- writing


def default_session(rows: list[ImportRow], actor: Any = None) -> Session:
    """The session imports go to when the caller names none: 江苏省政协 (created with its default workflow if
    missing), term 12, session 2, its plenary window spanning the file's earliest to latest date."""
    days = sorted(timezone.localdate(r.submitted_at) for r in rows)
    first, last = days[0], days[-1]
    with transaction.atomic():
        council = Council.objects.filter(name=DEFAULT_COUNCIL_NAME).first()
        if council is None:
            council = org.create_council(actor, name=DEFAULT_COUNCIL_NAME, short_name=DEFAULT_COUNCIL_SHORT)
        else:
            org.ensure_defaults(council)
        term = Term.objects.filter(council=council, number=DEFAULT_TERM).first()
        if term is None:
            term = org.create_term(actor, council, number=DEFAULT_TERM, start_date=date(first.year - 1, 1, 1))
        session = Session.objects.filter(term=term, number=DEFAULT_SESSION).first()
        if session is None:
            session = org.create_session(actor, term, number=DEFAULT_SESSION, window_start=first,
                                         plenary_start=first, plenary_end=last)
    return session


def import_account(council: Council) -> Any:
    """The staff account the command-line import acts as in ``council`` (``import-<council id>``), created
    on first use with a random password nobody knows (it cannot be used to sign in)."""
    import secrets

    username = f"import-{council.pk}"
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = org.create_account(None, username=username, password=secrets.token_urlsafe(32), role=Role.STAFF,
                                  council=council, display_name="数据导入")
    return user


def _organisation(actor: Any, council: Council, proposer: Proposer, cache: dict[tuple[str, str], Organisation]
                  ) -> Organisation:
    key = (proposer.kind, proposer.name)
    if key not in cache:
        cache[key] = org.get_or_create_organisation(actor, council, proposer.kind, proposer.name)
    return cache[key]


def _member(actor: Any, council: Council, term: Term, name: str, cache: dict[str, Member]) -> Member:
    if name not in cache:
        member = Member.objects.filter(council=council, term=term, name=name).order_by("id").first()
        cache[name] = member or org.save_member(actor, council, term, name=name)
    return cache[name]


def _category(council: Council, name: str, cache: dict[str, Category]) -> Category:
    if name not in cache:
        category = Category.objects.filter(council=council, name=name).first()
        if category is None:
            order = Category.objects.filter(council=council).count()
            category = Category.objects.create(council=council, name=name, order=order)
        cache[name] = category
    return cache[name]


def import_proposals(actor: Any, rows: list[ImportRow], *, session: Session,
                     progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Create and submit the proposals of ``rows`` (from :func:`read_proposals_file`) in ``session``.

    ``actor`` must be staff or an administrator of the session's council; the proposals are entered by
    them (paper proposals: the actor speaks for members without an account). Rows whose ``pkid`` the
    council already holds as an imported proposal are skipped. ``progress(done, total)`` is called after
    each row. Returns the counts.

    Raises :class:`ForbiddenError` when the actor may not import into the council, and
    :class:`ProposalImportError` (with ``errors``) when a row breaks a rule of the session, before anything
    is written. Should an action refuse a row anyway, the whole import is rolled back and
    :class:`ProposalImportError` names the row: the data stays as it was.
    """
    council = session.term.council
    if not is_council_staff(actor, council.pk):
        raise ForbiddenError("只有提案委员会工作人员或系统管理员可以导入提案。")
    bad = check_rows_for_session(rows, session)
    if bad:
        raise ProposalImportError(f"文件中有 {len(bad)} 处错误，未导入任何提案：" + "；".join(str(e) for e in bad[:5]),
                                  errors=bad)
    result = ImportResult(total=len(rows), session_id=session.pk)
    existing = set(Proposal.objects.filter(council=council, source=SOURCE,
                                           external_id__in=[r.external_id for r in rows])
                   .values_list("external_id", flat=True))
    members: dict[str, Member] = {}
    organisations: dict[tuple[str, str], Organisation] = {}
    categories: dict[str, Category] = {}
    term = session.term
    current = rows[0] if rows else None
    try:
        with transaction.atomic():
            for done, current in enumerate(rows, start=1):
                if current.external_id in existing:
                    result.skipped += 1
                else:
                    _write_row(actor, council, term, session, current, members, organisations, categories)
                    existing.add(current.external_id)
                    result.created += 1
                if progress is not None:
                    progress(done, len(rows))
    except DomainError as exc:
        row = current.row if current else 0
        error = RowError(row, "", f"{exc.message}（《{current.title[:30] if current else ''}》）")
        raise ProposalImportError(f"第 {row} 行无法导入，未导入任何提案：{exc.message}", errors=[error]) from exc
    return result


def _write_row(actor: Any, council: Council, term: Term, session: Session, row: ImportRow,
               members: dict[str, Member], organisations: dict[tuple[str, str], Organisation],
               categories: dict[str, Category]) -> Proposal:
    proposer = row.proposer
    kwargs: dict[str, Any] = {}
    if proposer.is_organisation:
        kwargs["organisation"] = _organisation(actor, council, proposer, organisations)
    else:
        kwargs["first_proposer"] = _member(actor, council, term, proposer.name, members)
    proposal = act.create_proposal(
        actor, session=session, title=row.title, category=_category(council, row.category, categories),
        proposer_kind=proposer.kind, situation=row.situation, analysis=row.analysis,
        suggestions=row.suggestions, source=SOURCE, external_id=row.external_id, serial=row.number, **kwargs)
    audit.record(proposal, "imported", actor=actor,
                 new={"file_row": row.row, "pkid": row.external_id, "proposal_number": row.number,
                      "personnel_name": row.raw_proposer, "unnamed_co_proposers": proposer.co_count,
                      "publish_time": row.submitted_at})
    return act.submit_proposal(actor, proposal.pk, at=row.submitted_at)


# ---------------------------------------------------------------------------------------------- background job


def start_import_job(actor: Any, rows: list[ImportRow], session: Session) -> Job:
    """Record an import :class:`~lvzhi.core.models.Job` and run it in the background once the current
    transaction commits (:func:`lvzhi.core.tasks.start`: a thread of this process in the embedded mode, the
    Celery worker with ``LVZHI_REDIS_URL``). The page polls the job's ``done``/``total``; at the end ``status``
    is ``done`` with the summary in ``message``, or ``failed`` with the errors."""
    council = session.term.council
    if not is_council_staff(actor, council.pk):
        raise ForbiddenError("只有提案委员会工作人员或系统管理员可以导入提案。")
    job = Job.objects.create(kind=JOB_KIND, created_by=actor, council=council, total=len(rows))
    audit.record(job, "job_started", actor=actor, council_id=council.pk,
                 new={"kind": JOB_KIND, "rows": len(rows), "session": session.pk})
    tasks.start(run_import_job_task, job.pk, rows_to_json(rows), session.pk, actor.pk)
    return job


def rows_to_json(rows: list[ImportRow]) -> list[dict[str, Any]]:
    """Validated rows as JSON values (for the task queue); :func:`rows_from_json` reads them back equal."""
    out = []
    for r in rows:
        item = {f: getattr(r, f) for f in ImportRow.__dataclass_fields__}
        item["proposer"] = {"kind": r.proposer.kind, "name": r.proposer.name, "co_count": r.proposer.co_count}
        item["submitted_at"] = r.submitted_at.isoformat()
        out.append(item)
    return out


def rows_from_json(items: list[dict[str, Any]]) -> list[ImportRow]:
    """The rows written by :func:`rows_to_json` (times keep their offset)."""
    return [ImportRow(**{**item, "proposer": Proposer(**item["proposer"]),
                         "submitted_at": datetime.fromisoformat(item["submitted_at"])}) for item in items]


@tasks.background_task
def run_import_job_task(job_pk: int, rows: list[dict[str, Any]], session_pk: int, actor_pk: int) -> None:
    """The background task of :func:`start_import_job`: :func:`run_import_job` with the rows as JSON."""
    run_import_job(job_pk, rows_from_json(rows), session_pk, actor_pk)


def run_import_job(job_pk: int, rows: list[ImportRow], session_pk: int, actor_pk: int) -> None:
    """The body of an import job (in a background thread or the worker, with its own database connection)."""
    try:
        Job.objects.filter(pk=job_pk).update(status=Job.Status.RUNNING)
        actor = get_user_model().objects.get(pk=actor_pk)
        session = Session.objects.select_related("term__council").get(pk=session_pk)

        def progress(done: int, total: int) -> None:
            report_progress(job_pk, done, total)

        try:
            result = import_proposals(actor, rows, session=session, progress=progress)
        except DomainError as exc:
            errors = [str(e) for e in getattr(exc, "errors", [])] or [exc.message]
            Job.objects.filter(pk=job_pk).update(status=Job.Status.FAILED, message="\n".join(errors),
                                                 finished_at=timezone.now())
            return
        Job.objects.filter(pk=job_pk).update(status=Job.Status.DONE, done=result.total,
                                             message=result.summary(),
                                             finished_at=timezone.now())
    except Exception:  # a crash must still end the job, or the page would poll forever
        logger.exception("import job %s crashed", job_pk)
        Job.objects.filter(pk=job_pk).update(status=Job.Status.FAILED, message="导入过程中发生系统错误，请联系管理员。",
                                             finished_at=timezone.now())
