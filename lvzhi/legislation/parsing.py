"""Reading a draft regulation (法规草案) into its structure: title, chapters (章), sections (节), articles (条),
paragraphs (款), items (项) and sub-items (目), keeping every paragraph's text exactly.

Pure Python (no Django): :func:`parse_file` reads a Word file (.docx, through python-docx), a plain-text file or
the Markdown layout of ``shared/data/regulations`` (``# title``, adoption lines, ``<!-- INFO END -->``,
``## 第一章 总 则`` chapters, ``### 第一节 …`` sections, one paragraph per line); :func:`parse_text` and
:func:`parse_docx` do the same from text / bytes.

The rules of Chinese legislative drafting this follows (立法技术规范; 立法法 art. 65 on the parts of a law):

- an article begins only with a paragraph that *starts* with ``第X条`` followed by a space (half-width,
  full-width ``　`` or a tab), by ``【`` (an article caption) or by the end of the line; ``依照本条例第十条``
  inside a paragraph, or ``第三方机构……`` at its start, begin nothing;
- chapter ``第X章`` and section ``第X节`` headings are short lines (in Markdown behind ``##`` / ``###``; the
  heading level is read from the words, not from the number of ``#``); a bare ``附　则`` line is the
  supplementary-provisions chapter without number (潮州市文明行为促进条例 prints it so); chapters may be
  missing entirely (short regulations have none);
- numbers are Chinese numerals up to the thousands (``第一百二十三条``, ``第一百零五条``) or Arabic digits;
  inserted articles are ``第X条之一``;
- the first paragraph of an article is the text after its number; further lines are paragraphs (款); lines
  starting ``（一）`` / ``(一)`` are items (项) of the paragraph before them; ``1.`` / ``（1）`` lines after an
  item are its sub-items (目);
- the title is the first line (Markdown: the ``# `` line); a ``（草案）`` / ``（征求意见稿）`` / ``（修订草案）``
  line under it, or such a suffix on it, is the draft label and not part of the title; lines before the first
  heading or article (adoption dates, a repeated title) are the preamble; a 目录 (table of contents) listing
  the chapters before the body is skipped.

Text is kept exactly: each paragraph is its source line without surrounding whitespace (the indentation of a
Word paragraph is layout, not text) — interior spaces, full-width spaces and punctuation untouched.

Errors (:class:`DraftError`, message in Chinese): an empty file, a file that is not a Word document, a file
without any article, article numbers that occur twice (all duplicates listed with their lines — never silently
renumbered). Gaps or out-of-order numbers are not errors but :attr:`ParsedDraft.warnings`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Literal

Kind = Literal["chapter", "section", "article", "paragraph", "item", "subitem"]

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
NUM = r"[零〇一二两三四五六七八九十百千0-9０-９]+"
SPACE = " \u3000\t\u00a0"
_SEP = rf"(?:[{SPACE}]+|(?=【)|$)"
ARTICLE_RE = re.compile(rf"^第({NUM})条(?:之({NUM}))?{_SEP}")
CHAPTER_RE = re.compile(rf"^第({NUM})章(?:[{SPACE}]*)(.*)$")
SECTION_RE = re.compile(rf"^第({NUM})节(?:[{SPACE}]*)(.*)$")
ITEM_RE = re.compile(r"^[（(]([零〇一二两三四五六七八九十百]+)[）)]")
SUBITEM_RE = re.compile(r"^(?:[（(][0-9０-９]+[）)]|[0-9０-９]+[.．、])")
LABEL_RE = re.compile(r"[（(][^（）()]*(?:草案|征求意见稿|送审稿|修订稿|讨论稿)[^（）()]*[）)]$")
TOC_WORDS = {"目录", "目次"}
SUPPLEMENTARY = "附则"
HEADING_MAX = 40  # a heading is a short line; longer lines are body text
INFO_END = "<!-- INFO END -->"
MAX_BYTES = 20 * 1024 * 1024


class DraftError(ValueError):
    """A draft that cannot be read; ``str(error)`` is a Chinese message for the user, ``line`` the 1-based
    source line it concerns (``None`` for the whole file)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Node:
    """One provision. ``number`` is as printed (``第十条之一``, ``第二章``, ``（三）``; empty for paragraphs
    and the unnumbered 附则); ``ordinal`` its value (``(10, 1)`` for 第十条之一, ``(3, 0)`` for 第三条;
    ``(n, 0)`` for the n-th paragraph); ``heading`` the name of a chapter or section (``总　则``);
    ``text`` the exact text of its line (a chapter/section: the heading line; an article: its first line
    with the number, e.g. ``第一条　为了……``, whose first paragraph child holds the part after the number;
    the article's whole text is :meth:`full_text`); ``line`` the 1-based source
    line."""

    kind: Kind
    number: str
    ordinal: tuple[int, int]
    text: str
    line: int
    heading: str = ""
    children: list[Node] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def full_text(self) -> str:
        """An article's text as printed: ``第X条　`` + its first paragraph, then each further paragraph,
        item and sub-item on its own line (``\\n``)."""
        if self.kind != "article":
            return "\n".join(n.text for n in self.walk())
        rest = [n.text for n in self.walk() if n is not self and n.line != self.line]
        return "\n".join([self.text, *rest])


@dataclass
class ParsedDraft:
    """A draft's structure. ``body`` holds chapters (with sections and articles) or, in a draft without
    chapters, the articles themselves; articles before the first chapter stay in ``body`` too."""

    title: str
    draft_label: str = ""
    preamble: list[str] = field(default_factory=list)
    body: list[Node] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_format: str = "text"

    def nodes(self) -> Iterator[Node]:
        for node in self.body:
            yield from node.walk()

    def of_kind(self, kind: Kind) -> list[Node]:
        return [n for n in self.nodes() if n.kind == kind]

    @property
    def articles(self) -> list[Node]:
        return self.of_kind("article")

    def summary(self) -> dict[str, str | int]:
        """``{"title", "chapters", "sections", "articles"}`` — what ``lvzhi import-draft --dry-run --json``
        prints."""
        return {"title": self.title, "chapters": len(self.of_kind("chapter")),
                "sections": len(self.of_kind("section")), "articles": len(self.articles)}


def cn_number(text: str) -> int:
    """The value of a Chinese (``一百二十三``, ``一百零五``, ``十二``, ``两千``) or Arabic (``12``, full-width
    ``１２``) numeral. Raises :class:`ValueError` for anything else."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not text:
        raise ValueError("空数字")
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
        else:
            raise ValueError(f"不是数字：{text}")
    return total + (digit or 0)


def _squeeze(text: str) -> str:
    return re.sub(rf"[{SPACE}]+", "", text)


def _is_heading_line(text: str) -> bool:
    return len(text) <= HEADING_MAX and not text.endswith(("。", "；", "，", "：", ";", ","))


@dataclass
class _Line:
    no: int
    text: str
    hashes: int = 0  # number of leading '#' in Markdown


class _Builder:
    def __init__(self, title: str, label: str, fmt: str) -> None:
        self.draft = ParsedDraft(title=title, draft_label=label, source_format=fmt)
        self.chapter: Node | None = None
        self.section: Node | None = None
        self.article: Node | None = None
        self.paragraph: Node | None = None
        self.item: Node | None = None
        self.seen: dict[tuple[int, int], list[tuple[str, int]]] = {}

    def _container(self) -> list[Node]:
        if self.section is not None:
            return self.section.children
        if self.chapter is not None:
            return self.chapter.children
        return self.draft.body

    def chapter_line(self, line: _Line, number: str, value: int, heading: str) -> None:
        self.chapter = Node("chapter", number, (value, 0), line.text, line.no, heading=heading)
        self.draft.body.append(self.chapter)
        self.section = self.article = self.paragraph = self.item = None

    def section_line(self, line: _Line, number: str, value: int, heading: str) -> None:
        self.section = Node("section", number, (value, 0), line.text, line.no, heading=heading)
        if self.chapter is None:
            self.draft.body.append(self.section)
        else:
            self.chapter.children.append(self.section)
        self.article = self.paragraph = self.item = None

    def article_line(self, line: _Line, m: re.Match[str]) -> None:
        main = cn_number(m.group(1))
        sub = cn_number(m.group(2)) if m.group(2) else 0
        number = line.text[: m.end()].rstrip(SPACE)
        self.article = Node("article", number, (main, sub), line.text, line.no)
        self._container().append(self.article)
        self.seen.setdefault((main, sub), []).append((number, line.no))
        self.paragraph = self.item = None
        first = line.text[m.end():]
        if first:
            self.paragraph_line(_Line(line.no, first))

    def paragraph_line(self, line: _Line) -> None:
        assert self.article is not None
        self.paragraph = Node("paragraph", "", (len(self.of_article("paragraph")) + 1, 0), line.text, line.no)
        self.article.children.append(self.paragraph)
        self.item = None

    def of_article(self, kind: Kind) -> list[Node]:
        return [c for c in self.article.children if c.kind == kind] if self.article else []

    def item_line(self, line: _Line, m: re.Match[str]) -> None:
        if self.paragraph is None:
            self.paragraph_line(line)
            return
        self.item = Node("item", m.group(0), (cn_number(m.group(1)), 0), line.text, line.no)
        self.paragraph.children.append(self.item)

    def subitem_line(self, line: _Line, m: re.Match[str]) -> None:
        assert self.item is not None
        digits = re.sub(r"\D", "", m.group(0).translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        self.item.children.append(Node("subitem", m.group(0), (int(digits or 0), 0), line.text, line.no))

    def finish(self) -> ParsedDraft:
        dups = [(key, places) for key, places in self.seen.items() if len(places) > 1]
        if dups:
            parts = []
            for _key, places in sorted(dups, key=lambda kv: kv[1][0][1]):
                lines = "、".join(f"第 {no} 行" for _n, no in places)
                parts.append(f"「{places[0][0]}」出现 {len(places)} 次（{lines}）")
            raise DraftError("条文序号重复：" + "；".join(parts) + "。请更正草案后重新导入（不会自动重新编号）。",
                             line=dups[0][1][1][1])
        articles = self.draft.articles
        if not articles:
            raise DraftError("未找到任何条文：草案正文中没有以「第X条」开头的段落（如「第一条　为了……」），"
                             "无法拆分。请确认文件是法规草案全文。")
        for before, after in pairwise(articles):
            a, b = before.ordinal, after.ordinal
            if b <= a:
                self.draft.warnings.append(f"第 {after.line} 行：「{after.number}」排在「{before.number}」之后，序号倒退。")
            elif b[1] == 0 and b[0] != a[0] + 1:
                self.draft.warnings.append(f"第 {after.line} 行：「{before.number}」之后是「{after.number}」，序号不连续。")
            elif b[1] > 0 and (b[0] != a[0] or b[1] != a[1] + 1):
                self.draft.warnings.append(f"第 {after.line} 行：「{before.number}」之后是「{after.number}」，序号不连续。")
        chapters = self.draft.of_kind("chapter")
        numbered = [c for c in chapters if c.number]
        for before, after in pairwise(numbered):
            if after.ordinal[0] != before.ordinal[0] + 1:
                self.draft.warnings.append(f"第 {after.line} 行：「{before.number}」之后是「{after.number}」，章序号不连续。")
        for parent in [*chapters, None]:
            sections = [n for n in (parent.children if parent else self.draft.body) if n.kind == "section"]
            for before, after in pairwise(sections):
                if after.ordinal[0] != before.ordinal[0] + 1:
                    where = f"{parent.number or parent.text}" if parent else ""
                    self.draft.warnings.append(
                        f"第 {after.line} 行：{where}「{before.number}」之后是「{after.number}」，节序号不连续。")
        return self.draft


def _classify(line: _Line, builder: _Builder) -> None:
    text = line.text
    if _is_heading_line(text) or line.hashes:
        m = CHAPTER_RE.match(text)
        if m and (line.hashes or m.group(2) == "" or text[m.start(2) - 1] in SPACE or len(text) <= 20):
            builder.chapter_line(line, text[: m.start(2)].rstrip(SPACE), cn_number(m.group(1)), m.group(2))
            return
        m = SECTION_RE.match(text)
        if m and (line.hashes or m.group(2) == "" or text[m.start(2) - 1] in SPACE or len(text) <= 20):
            builder.section_line(line, text[: m.start(2)].rstrip(SPACE), cn_number(m.group(1)), m.group(2))
            return
        if _squeeze(text) == SUPPLEMENTARY:
            builder.chapter_line(line, "", 0, text)
            return
    m = ARTICLE_RE.match(text)
    if m:
        builder.article_line(line, m)
        return
    if builder.article is None:
        if builder.chapter is None and builder.section is None:
            builder.draft.preamble.append(text)
        else:
            builder.draft.warnings.append(f"第 {line.no} 行：条文之外的文字「{text[:20]}」，已放入说明部分。")
            builder.draft.preamble.append(text)
        return
    if builder.paragraph is None:  # 「第一条」 alone on its line: the next line is its first paragraph
        builder.paragraph_line(line)
        return
    m = ITEM_RE.match(text)
    if m:
        builder.item_line(line, m)
        return
    m = SUBITEM_RE.match(text)
    if m and builder.item is not None:
        builder.subitem_line(line, m)
        return
    builder.paragraph_line(line)


def _split_title(lines: list[_Line]) -> tuple[str, str, list[_Line]]:
    """(title, draft label, remaining lines) from the first lines."""
    if not lines:
        raise DraftError("文件为空：没有任何文字。")
    title = lines[0].text.lstrip("#").strip(SPACE)
    rest = lines[1:]
    label = ""
    m = LABEL_RE.search(title)
    if m and m.start() > 0:
        label, title = m.group(0), title[: m.start()].rstrip(SPACE)
    elif rest and LABEL_RE.fullmatch(_squeeze(rest[0].text)):
        label, rest = rest[0].text, rest[1:]
    if not title:
        raise DraftError("第 1 行：标题为空。", line=lines[0].no)
    return title, label, rest


def _structure(lines: list[_Line], fmt: str) -> ParsedDraft:
    title, label, rest = _split_title(lines)
    builder = _Builder(title, label, fmt)
    if fmt == "markdown":
        end = next((i for i, ln in enumerate(rest) if ln.text == INFO_END), None)
        if end is not None:
            builder.draft.preamble.extend(ln.text for ln in rest[:end])
            rest = rest[end + 1:]
    toc: list[str] | None = None
    for line in rest:
        if builder.article is None and _squeeze(line.text) in TOC_WORDS:
            toc = []
            continue
        if toc is not None:
            key = re.sub(r"[.．…·•_\-—\d]+$", "", _squeeze(line.text))  # "第一章 总则……1": page numbers
            if ARTICLE_RE.match(line.text) or (toc and key == toc[0]):
                toc = None  # the body starts: the first chapter again, or an article
            else:
                toc.append(key)
                continue
        _classify(line, builder)
    return builder.finish()


def _lines(texts: Iterable[str]) -> list[_Line]:
    out = []
    for no, raw in enumerate(texts, start=1):
        text = raw.strip(SPACE + "\r\n\ufeff")
        if not text:
            continue
        hashes = len(text) - len(text.lstrip("#"))
        if hashes and text[hashes:hashes + 1] in (" ", "\u3000"):
            text = text[hashes:].strip(SPACE)
        else:
            hashes = 0
        out.append(_Line(no, text, hashes))
    return out


def parse_text(text: str, *, markdown: bool | None = None) -> ParsedDraft:
    """Parse a draft from text (plain or the Markdown layout; ``markdown=None`` guesses: a first line
    ``# …`` or an ``<!-- INFO END -->`` marker). Raises :class:`DraftError`."""
    if markdown is None:
        markdown = text.lstrip("\ufeff \n").startswith("# ") or INFO_END in text
    fmt = "markdown" if markdown else "text"
    lines = _lines(text.splitlines())
    if markdown and lines and lines[0].hashes:
        lines[0] = _Line(lines[0].no, lines[0].text, 0)
    return _structure(lines, fmt)


def parse_docx(data: bytes) -> ParsedDraft:
    """Parse a Word (.docx) draft from its bytes: its paragraphs in order; a table's rows become paragraphs of
    the article they stand in (cells joined by a tab). Raises :class:`DraftError` for an empty file, a file
    that is not a .docx (including an old binary .doc) or one without articles."""
    if not data:
        raise DraftError("文件为空：没有任何内容。")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DraftError("这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再导入。")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DraftError("不是有效的 Word（.docx）文件：文件内容无法按 Word 文档读取。")
    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise DraftError("不是有效的 Word（.docx）文件：文件已损坏或不是 Word 文档。") from exc
    numbering = _WordNumbering(document)
    texts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [c.text.strip() for c in row.cells]
                texts.append("\t".join(cells))
        else:
            label = numbering.label(block._p)
            lines = block.text.split("\n")
            if label:
                lines[0] = label + "\u3000" + lines[0].lstrip(SPACE)
            texts.extend(lines)
    draft = _structure(_lines(texts), "docx")
    return draft


def cn_numeral(n: int) -> str:
    """``n`` (1..9999) in Chinese numerals as legislation prints them: 十, 十二, 二十, 一百零五, 一百一十."""
    if not 0 < n < 10000:
        return str(n)
    digits = "零一二三四五六七八九"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += ("" if (unit == "十" and d == 1 and not out) else digits[d]) + unit
            zero = False
        elif out:
            zero = True
    return out


class _WordNumbering:
    """Word's automatic numbering (``w:numPr``): drafts whose ``第一条`` / ``第一章`` are list numbers, not
    text. Renders each numbered paragraph's label from the numbering definitions (``w:lvlText`` such as
    ``第%1条``; formats decimal and the Chinese counting formats), counting per list and level like Word
    (a level restarts after a higher one). Only labels that name an article, chapter or section are used;
    other list numbers (``1.``) are left out as Word's own layout."""

    CHINESE = {"chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand"}

    def __init__(self, document: object) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstracts: dict[str, dict[int, tuple[str, str, int]]] = {}
        for a in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in a.findall(qn("w:lvl")):
                fmt, text, start = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText")), lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                    text.get(qn("w:val"), "") if text is not None else "",
                    int(start.get(qn("w:val"), "1")) if start is not None else 1)
            abstracts[a.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                aid = ref.get(qn("w:val"), "")
                self.levels[num.get(qn("w:numId"), "")] = abstracts.get(aid, {})
                self.abstract_of[num.get(qn("w:numId"), "")] = aid

    def label(self, p: object) -> str:
        qn = self.qn
        ppr = p.find(qn("w:pPr"))  # type: ignore[attr-defined]
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is None or not self.levels:
            return ""
        num_el, ilvl_el = numpr.find(qn("w:numId")), numpr.find(qn("w:ilvl"))
        num_id = num_el.get(qn("w:val"), "") if num_el is not None else ""
        ilvl = int(ilvl_el.get(qn("w:val"), "0")) if ilvl_el is not None else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(self.abstract_of.get(num_id, num_id), {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = levels[ilvl][1]
        for k in range(ilvl + 1):
            fmt, _t, start = levels.get(k, ("decimal", "", 1))
            value = counters.get(k, start)
            shown = cn_numeral(value) if fmt in self.CHINESE else str(value)
            text = text.replace(f"%{k + 1}", shown)
        return text if re.fullmatch(rf"第{NUM}[条章节](?:之{NUM})?", text) else ""


def decode_text(data: bytes) -> str:
    """Text of a .txt / .md file: UTF-8 (with or without BOM), else GB18030 (older Chinese Windows files).
    Raises :class:`DraftError` when neither fits."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DraftError("无法识别文件的文字编码（应为 UTF-8 或 GB18030）。")


def parse_bytes(data: bytes, filename: str) -> ParsedDraft:
    """Parse an uploaded draft by its file name's extension: ``.docx`` Word, ``.md`` Markdown, anything
    else plain text. Raises :class:`DraftError`."""
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_BYTES:
        raise DraftError(f"文件过大（{len(data) // 1024 // 1024} MB），草案文件不能超过 20 MB。")
    if suffix == ".docx":
        return parse_docx(data)
    if suffix == ".doc":
        return parse_docx(data)  # refused with the .doc message unless it is in fact a .docx
    if not data.strip():
        raise DraftError("文件为空：没有任何文字。")
    if data[:4] == b"PK\x03\x04":
        raise DraftError("这是压缩包或 Word 文件，不是文本文件；Word 草案请以 .docx 扩展名上传。")
    text = decode_text(data)
    return parse_text(text, markdown=True if suffix in (".md", ".markdown") else None)


def parse_file(path: str | Path) -> ParsedDraft:
    """Parse the draft at ``path`` (see :func:`parse_bytes`). Raises :class:`DraftError`, also for a file
    that does not exist."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DraftError(f"文件不存在：{p}") from None
    except IsADirectoryError:
        raise DraftError(f"这是目录，不是文件：{p}") from None
    return parse_bytes(data, p.name)
