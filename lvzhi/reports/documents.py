"""Word documents laid out like official documents (公文, after GB/T 9704-2012), written with python-docx.

- :func:`proposal_document`: a proposal (提案) as the committee prints it: council name and 提案 as the title,
  then 案号, 案由, 提案者, 联名人, 类别, 提交时间 and the three parts 情况 / 分析 / 具体建议.
- :func:`reply_letter`: a unit's reply letter (答复函) to the proposer: case number with the reply grade
  stated as in practice ("（A类）"), the title "关于……第N号提案的答复", the addressee, the body, the unit name
  and the date at the bottom right, the contact person and phone.

Layout (GB/T 9704): A4 paper, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; title in 二号 (22 pt)
小标宋 (方正小标宋简体; where a reader lacks it Word substitutes 宋体, declared as the font's ``altName``; a
deployment that sets ``settings.DOCX_TITLE_FONT`` to another face gets a bold title); body in 三号 (16 pt)
仿宋_GB2312 (alternative 仿宋 / FangSong), first-level headings in 黑体, fixed 28.95 pt line spacing (22 lines
a page) and a first-line indent of two characters. Chinese faces are set through ``w:eastAsia``.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from lvzhi.proposals.choices import CoSignStatus, ProposerKind
from lvzhi.proposals.letters import letter_frame, starts_with_greeting, starts_with_opening
from lvzhi.proposals.models import Proposal, Reply

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
LINE_SPACING = Pt(28.95)  # 22 lines on the 225 mm type area
#: Alternative faces Word uses when a reader's computer lacks the one named (``w:altName`` in the font table).
FONT_ALTERNATIVES = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def title_font() -> str:
    """The title face: ``settings.DOCX_TITLE_FONT`` (default 方正小标宋简体)."""
    return getattr(settings, "DOCX_TITLE_FONT", "方正小标宋简体")


def cn_number(n: int) -> str:
    """``n`` (0–99) in Chinese numerals as session names are written (14 → 十四, 3 → 三, 20 → 二十);
    other numbers as Arabic digits."""
    digits = "零一二三四五六七八九"
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def cn_date(day: date) -> str:
    """A date as 公文 write it since GB/T 9704-2012 (Arabic numerals): ``2026年3月4日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def _set_font(run_or_style: object, face: str, size: Pt | None = None, *, bold: bool | None = None) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = LATIN_FONT
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
    r_fonts.set(qn("w:ascii"), LATIN_FONT)
    r_fonts.set(qn("w:hAnsi"), LATIN_FONT)


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


def _new_document() -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    _set_font(normal, BODY_FONT, SIZE_BODY)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = fmt.space_after = Pt(0)
    _declare_alternatives(document)
    return document


def _title(document: DocxDocument, *lines: str) -> None:
    face = title_font()
    for line in lines:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(36)
        _set_font(p.add_run(line), face, SIZE_TITLE, bold="小标宋" not in face)
    document.add_paragraph()


def _body(document: DocxDocument, text: str, *, indent: bool = True) -> list[Paragraph]:
    out = []
    for line in [s.strip() for s in (text or "").splitlines() if s.strip()] or [""]:
        p = document.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = SIZE_BODY * 2
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _set_font(p.add_run(line), BODY_FONT, SIZE_BODY)
        out.append(p)
    return out


def _labelled(document: DocxDocument, label: str, value: str) -> Paragraph:
    p = document.add_paragraph()
    _set_font(p.add_run(f"{label}："), HEADING_FONT, SIZE_BODY)
    _set_font(p.add_run(value or "—"), BODY_FONT, SIZE_BODY)
    return p


def _heading(document: DocxDocument, text: str) -> None:
    p = document.add_paragraph()
    p.paragraph_format.first_line_indent = SIZE_BODY * 2
    _set_font(p.add_run(text), HEADING_FONT, SIZE_BODY)


def _save(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _proposer_line(proposal: Proposal) -> str:
    if proposal.organisation_id:
        return proposal.organisation.name  # type: ignore[union-attr]
    member = proposal.first_proposer
    if member is None:
        return ""
    extra = [o.name for o in (member.sector, member.party_group) if o is not None]
    return f"{member.name}（{'、'.join(extra)}）" if extra else member.name


def proposal_document(proposal: Proposal) -> bytes:
    """The proposal as a .docx file (bytes). The caller has checked access (``access_proposal``).

    An unfiled proposal shows its submission number (提交编号) in place of the case number."""
    document = _new_document()
    council = proposal.council
    _title(document, council.name, "提　案")
    number = proposal.number or (f"（未立案，提交编号 {proposal.serial}）" if proposal.serial else "（未立案）")
    case_line = document.add_paragraph()
    case_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _set_font(case_line.add_run(f"第 {number} 号" if proposal.number else number), BODY_FONT, SIZE_BODY)
    cosigners = "、".join(c.member.name for c in proposal.cosigners.filter(status=CoSignStatus.CONFIRMED)
                         .select_related("member").order_by("id"))
    _labelled(document, "案　　号", number)
    _labelled(document, "案　　由", proposal.title)
    _labelled(document, "提 案 者", _proposer_line(proposal))
    if proposal.proposer_kind in (ProposerKind.MEMBER, ProposerKind.JOINT):
        _labelled(document, "联 名 人", cosigners or "无")
    _labelled(document, "提案类型", str(ProposerKind(proposal.proposer_kind).label))
    _labelled(document, "类　　别", proposal.category.name if proposal.category_id else "")  # type: ignore[union-attr]
    if proposal.submitted_at:
        _labelled(document, "提交时间", cn_date(timezone.localdate(proposal.submitted_at)))
    document.add_paragraph()
    for heading, text in (("一、情况", proposal.situation), ("二、分析", proposal.analysis),
                          ("三、具体建议", proposal.suggestions)):
        _heading(document, heading)
        _body(document, text)
    return _save(document)


def reply_title(reply: Reply) -> str:
    """``关于测试市政协十四届三次会议第14-3-001号提案的答复`` (council, term and session in Chinese numerals)."""
    proposal = reply.assignment.proposal
    session = proposal.session
    council = proposal.council
    return (f"关于{council.short_name or council.name}{cn_number(session.term.number)}届"
            f"{cn_number(session.number)}次会议第{proposal.number or proposal.serial}号提案的答复")


def reply_letter_parts(reply: Reply) -> dict[str, Any]:
    """The text of the reply letter (答复函), part by part, as :func:`reply_letter` lays it out and the
    sign-off preview page shows it: ``unsent`` (bool: marked 未签发稿), ``number``, ``grade`` (code),
    ``unit``, ``title``, ``addressee`` and ``opening`` (each ``""`` when the clerk's text already begins with
    it: :mod:`lvzhi.proposals.letters`), ``text``, ``date`` (Chinese date: the sending day, today
    while unsent), ``contact`` (one line or ``""``), ``cc``."""
    assignment = reply.assignment
    proposal = assignment.proposal
    frame = letter_frame(proposal)
    # the clerk's text may begin with the greeting and the 收悉 sentence itself: they are not added twice
    addressee = "" if starts_with_greeting(reply.text) else frame.addressee
    opening = "" if starts_with_opening(reply.text) else frame.opening
    number = proposal.number or proposal.serial
    contact = []
    if reply.contact_person:
        contact.append(f"联系人：{reply.contact_person}")
    if reply.contact_phone:
        contact.append(f"联系电话：{reply.contact_phone}")
    day = timezone.localdate(reply.sent_at) if reply.sent_at else timezone.localdate()
    return {"unsent": reply.status != "sent", "number": number, "grade": reply.grade.code,
            "unit": assignment.unit.name, "title": reply_title(reply), "addressee": addressee,
            "opening": opening,
            "text": reply.text, "date": cn_date(day), "contact": f"（{'，'.join(contact)}）" if contact else "",
            "cc": f"抄送：{proposal.council.name}提案委员会"}


def reply_letter(reply: Reply) -> bytes:
    """The reply letter (答复函) as a .docx file (bytes). The caller has checked access (``access_reply``).

    An unsent reply is marked 未签发稿 and dated today; a sent one carries its sending date."""
    parts = reply_letter_parts(reply)
    document = _new_document()
    if parts["unsent"]:
        marker = document.add_paragraph()
        _set_font(marker.add_run("（未签发稿）"), HEADING_FONT, SIZE_BODY)
    # case number on the left, the reply grade on the right as printed on real letters: "（A类）"
    number_line = document.add_paragraph()
    number_line.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    _set_font(number_line.add_run(f"案号：{parts['number']}\t（{parts['grade']}类）"), BODY_FONT, SIZE_BODY)
    _title(document, parts["unit"], parts["title"])
    if parts["addressee"]:
        p = document.add_paragraph()
        _set_font(p.add_run(f"{parts['addressee']}："), BODY_FONT, SIZE_BODY)
    if parts["opening"]:
        _body(document, parts["opening"])
    _body(document, parts["text"])
    document.add_paragraph()
    document.add_paragraph()
    for line in (parts["unit"], parts["date"]):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = SIZE_BODY * 4  # 成文日期右空四字
        _set_font(p.add_run(line), BODY_FONT, SIZE_BODY)
    document.add_paragraph()
    if parts["contact"]:
        _body(document, parts["contact"])
    p = document.add_paragraph()
    _set_font(p.add_run(parts["cc"]), BODY_FONT, SIZE_BODY)
    return _save(document)
