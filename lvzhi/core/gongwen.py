"""The page of an official document (公文) after GB/T 9704-2012 《党政机关公文格式》, for every Word file lvzhi
writes (python-docx): one place for paper, margins, the type grid, fonts and page numbers.

What the standard asks and how it is met here:

- **Paper and type area** (§5.1, §5.2.1): A4 (210 × 297 mm); 天头 (top margin) 37 mm ± 1 mm, 订口 (left margin)
  28 mm ± 1 mm; type area (版心) 156 × 225 mm. Hence right margin 210 − 28 − 156 = 26 mm and bottom margin
  297 − 37 − 225 = 35 mm.
- **Body** (§5.2.2, §5.2.3): 3号仿宋 (16 pt, 仿宋_GB2312 with 仿宋 as the alternative face); "一般每面排22行，
  每行排28个字，并撑满版心". Lines: the 225 mm type area is 225 / 25.4 × 72 = 637.80 pt; 22 lines fill it
  at 637.80 / 22 = 28.99 pt a line. Word stores exact line spacing in twentieths of a point, so the
  largest value with which 22 lines still fit is ⌊637.80 × 20 / 22⌋ = 579 twips = **28.95 pt**
  (22 × 28.95 = 636.9 pt ≤ 637.8 pt; 29.00 pt would need 638.0 pt and push the 22nd line over).
  Characters: the 156 mm line is 442.20 pt; 28 characters of 16 pt need 448 pt, so a plain 16 pt line
  holds only 27. The pitch must lie in (442.20 / 29, 442.20 / 28] = (15.25, 15.79] pt. Word's usual way, a
  character grid (``w:docGrid`` ``linesAndChars`` with a 15.79 pt pitch), is not followed by LibreOffice, which
  gives a 16 pt character two 15.79 pt cells (14 a line); so the body style is condensed instead by the
  smallest step in Word's twentieths of a point that gets there: 0.25 pt (``w:spacing w:val="-5"``), a pitch of
  15.75 pt, 28 × 15.75 = 441.0 pt ≤ 442.2 pt < 29 × 15.75. The document grid keeps the line pitch (type
  ``lines``, 579 twips), as Word's 文档网格 "只指定行网格".
- **Title** (§7.3.3): 2号小标宋 (22 pt, 方正小标宋简体 with 宋体 as the alternative face; a deployment may
  set ``settings.DOCX_TITLE_FONT`` to another face, which is then set bold), centred, on the same line grid.
- **Page numbers** (§7.5): 4号半角宋体 Arabic numerals with a 一字线 (em dash) on each side, "— 1 —", below
  the type area with the dashes' top 7 mm under its bottom edge; odd pages on the right and even pages on
  the left, each 空一字 (indented one character) from the edge of the type area. Written as a ``PAGE`` field in
  separate odd and even footers (``w:evenAndOddHeaders``). The footer sits ``35 − 7 − 14 pt ≈ 23 mm`` above
  the paper's bottom edge (bottom margin − 7 mm − the footer's one 14 pt line).
- **Dates** (§7.3.5.2): 成文日期 in Arabic numerals, year in full, month and day without a leading zero:
  ``2026年3月4日`` (:func:`cn_date`).
- **Document number** (§7.2.4): 机关代字 + year in 六角括号 〔〕 + serial without leading zeros and without
  第: ``江府建〔2026〕12号`` (:func:`doc_number`).

Chinese faces are set through ``w:eastAsia`` next to Times New Roman for Latin text.
"""

from __future__ import annotations

import io
from datetime import date

from django.conf import settings
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Length, Mm, Pt, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_PAGE_NUMBER = Pt(14)  # 四号
PAPER = (Mm(210), Mm(297))
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TYPE_AREA = (Mm(156), Mm(225))
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
#: 579 twips = 28.95 pt: the largest exact spacing (in Word's twentieths of a point) at which 22 lines fit
#: in the 225 mm type area (see the module docstring).
LINE_PITCH_TWIPS = int(TYPE_AREA[1].pt * 20 / LINES_PER_PAGE)
LINE_SPACING = Twips(LINE_PITCH_TWIPS)
#: the body's character spacing in twentieths of a point: condensed by 0.25 pt, so 28 characters of 16 pt fit the
#: 156 mm line and 29 do not (see the module docstring).
CHAR_SPACING_TWIPS = -5
#: the page number's dashes begin 7 mm under the type area; the footer holds one 14 pt line.
FOOTER_DISTANCE = Length(BOTTOM - Mm(7) - SIZE_PAGE_NUMBER)
EM_DASH = "\u2014"  # 一字线
#: Alternative faces Word uses when a reader's computer lacks the one named (``w:altName`` in the font table).
FONT_ALTERNATIVES = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def title_font() -> str:
    """The title face: ``settings.DOCX_TITLE_FONT`` (default 方正小标宋简体)."""
    return getattr(settings, "DOCX_TITLE_FONT", "方正小标宋简体")


def cn_date(day: date) -> str:
    """A date as 公文 write it since GB/T 9704-2012 (Arabic numerals, no leading zeros): ``2026年3月4日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def doc_number(prefix: str, year: int, serial: int) -> str:
    """The document number (发文字号) of GB/T 9704 §7.2.4: ``doc_number("江府建", 2026, 12)`` →
    ``江府建〔2026〕12号`` (year in 六角括号, serial without leading zeros and without 第)."""
    return f"{prefix}〔{year}〕{serial}号"


def set_font(run_or_style: object, face: str, size: Length | None = None, *, bold: bool | None = None,
             latin: str = LATIN_FONT) -> None:
    """Set a run's or a style's East Asian face ``face``, Latin face ``latin``, ``size`` and ``bold``."""
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = latin
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    element = run_or_style.element  # type: ignore[attr-defined]
    r_pr = element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), face)
    r_fonts.set(qn("w:ascii"), latin)
    r_fonts.set(qn("w:hAnsi"), latin)


def _declare_alternatives(document: DocxDocument) -> None:
    """Add the Chinese faces with their ``altName`` to the font table, so Word substitutes a close face."""
    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = parse_xml(part.blob)
        for face, alternative in FONT_ALTERNATIVES.items():
            root.append(parse_xml(
                f'<w:font {nsdecls("w")} w:name="{face}"><w:altName w:val="{alternative}"/>'
                f'<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'))
        # the font table is a generic OPC part (python-docx has no class for it): replace its bytes
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return


def _set_grid(section: Section) -> None:
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = sect_pr.makeelement(qn("w:docGrid"), {})
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


#: the elements that follow ``w:spacing`` in ``w:rPr`` (ECMA-376 CT_RPr sequence)
_AFTER_RPR_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                      "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                      "w:specVanish", "w:oMath")


def _condense(style: object) -> None:
    """Condense the characters of ``style`` by :data:`CHAR_SPACING_TWIPS` (``w:spacing`` in its run properties)."""
    r_pr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    spacing = r_pr.find(qn("w:spacing"))
    if spacing is None:
        spacing = r_pr.makeelement(qn("w:spacing"), {})
        r_pr.insert_element_before(spacing, *_AFTER_RPR_SPACING)
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))


def _page_field(paragraph: Paragraph) -> None:
    """``— {PAGE} —`` in 4号 宋体 (digits half-width 宋体 too)."""
    def run(text: str = "") -> object:
        r = paragraph.add_run(text)
        set_font(r, PAGE_NUMBER_FONT, SIZE_PAGE_NUMBER, latin=PAGE_NUMBER_FONT)
        return r

    run(f"{EM_DASH} ")
    for kind in ("begin", None, "separate", "1", "end"):
        r = run()
        element = r.element  # type: ignore[attr-defined]
        if kind is None:
            instr = element.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            instr.text = " PAGE "
            element.append(instr)
        elif kind == "1":
            r.text = "1"  # type: ignore[attr-defined]  # shown until the field is updated
        else:
            element.append(element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))
    run(f" {EM_DASH}")


def page_numbers(document: DocxDocument, section: Section | None = None) -> None:
    """Page numbers "— N —" (a ``PAGE`` field, 4号宋体) in ``section``'s (default: the first) odd footer on the
    right and even footer on the left, each one character in from the type area's edge (GB/T 9704 §7.5)."""
    section = section if section is not None else document.sections[0]
    document.settings.odd_and_even_pages_header_footer = True
    section.footer_distance = FOOTER_DISTANCE
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                       WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = SIZE_PAGE_NUMBER
        fmt.space_before = fmt.space_after = Pt(0)
        # 空一字: one body character from the type area's edge (right on odd pages, left on even ones)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = SIZE_BODY
        else:
            fmt.left_indent = SIZE_BODY
        _page_field(p)


def page_setup(document: DocxDocument, *, numbered: bool = True) -> Section:
    """Give ``document``'s first section the A4 page, margins and type area of GB/T 9704 and the page numbers
    "— N —" on the outer side (unless ``numbered`` is false). Leaves styles alone: for documents with their own
    fonts (tables, forms). Returns the section."""
    section = document.sections[0]
    section.page_width, section.page_height = PAPER
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    if numbered:
        page_numbers(document, section)
    return section


def new_document(*, numbered: bool = True) -> DocxDocument:
    """A new document with the whole GB/T 9704 layout: :func:`page_setup`, 22 lines of 28 characters (body style
    3号仿宋 at exact 28.95 pt line spacing, condensed 0.25 pt, the line grid), no space around paragraphs, and
    the Chinese faces' alternatives."""
    document = Document()
    section = page_setup(document, numbered=numbered)
    _set_grid(section)
    normal = document.styles["Normal"]
    set_font(normal, BODY_FONT, SIZE_BODY)
    _condense(normal)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False  # every page full (撑满版心): no line carried over to keep a paragraph's end company
    _declare_alternatives(document)
    return document


def title(document: DocxDocument, *lines: str, blank_after: bool = True) -> list[Paragraph]:
    """The title in 2号小标宋, centred, one paragraph per line; a blank line after it (``blank_after``)."""
    face = title_font()
    out = []
    for line in lines:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(p.add_run(line), face, SIZE_TITLE, bold="小标宋" not in face)
        out.append(p)
    if blank_after:
        document.add_paragraph()
    return out


def body(document: DocxDocument, text: str, *, indent: bool = True) -> list[Paragraph]:
    """``text`` as body paragraphs (one per non-blank line), justified, first line indented two characters."""
    out = []
    for line in [s.strip() for s in (text or "").splitlines() if s.strip()] or [""]:
        p = document.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = SIZE_BODY * 2
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        set_font(p.add_run(line), BODY_FONT, SIZE_BODY)
        out.append(p)
    return out


def line(document: DocxDocument, text: str, *, face: str = BODY_FONT,
         align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
    """One paragraph of ``text`` in the body size (``face`` 仿宋 unless given), aligned as ``align``."""
    p = document.add_paragraph()
    if align is not None:
        p.alignment = align
    set_font(p.add_run(text), face, SIZE_BODY)
    return p


#: the elements that follow ``w:pBdr`` in ``w:pPr`` (ECMA-376 CT_PPr sequence)
_AFTER_PPR_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                      "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                      "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                      "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                      "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def rule(paragraph: Paragraph, *, position: str = "bottom", color: str = "000000", size_eighths: int = 4) -> None:
    """Draw a full-width line above or below ``paragraph`` (``position`` ``top`` or ``bottom``): the red
    separator under the 版头 (``color="FF0000"``) or the lines of the 版记."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = p_pr.makeelement(qn("w:pBdr"), {})
        p_pr.insert_element_before(borders, *_AFTER_PPR_BORDERS)
    borders.append(borders.makeelement(qn(f"w:{position}"), {
        qn("w:val"): "single", qn("w:sz"): str(size_eighths), qn("w:space"): "1", qn("w:color"): color}))


def save(document: DocxDocument) -> bytes:
    """The document as .docx bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
