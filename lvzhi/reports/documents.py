"""Word documents laid out like official documents (公文, after GB/T 9704-2012), written with python-docx on the
page of :mod:`lvzhi.core.gongwen` (A4; margins 37 / 35 / 28 / 26 mm, type area 156 × 225 mm; body 3号仿宋,
22 lines of 28 characters at exact 28.95 pt; titles 2号小标宋; page numbers "— N —" in 4号宋体 on the outer side).

- :func:`proposal_document`: a proposal (提案) as the committee prints it: council name and 提案 as the title,
  then 案号, 案由, 提案者, 联名人, 类别, 提交时间 and the three parts 情况 / 分析 / 具体建议.
- :func:`reply_letter`: a unit's reply letter (答复函) to the proposer, in the parts of GB/T 9704: the case
  number and the reply grade as in practice ("（A类）"); the 版头 (the unit's name in red, the document number
  发文字号 — centred, or on the left with the 签发人 on the right when the unit marks its letters so — and the
  red separator line); the title "关于……第N号提案的答复"; the 主送 line (the addressee); the body; the unit's
  signature and the date (成文日期, Arabic numerals) placed as §7.3.5.2 places them; the 附注 with the contact
  person and phone; the 版记 with the 抄送 line (the co-handling units and the proposals committee).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from lvzhi.core import gongwen
from lvzhi.core.gongwen import BODY_FONT, DOCX_CONTENT_TYPE, HEADING_FONT, SIZE_BODY, cn_date, set_font
from lvzhi.members.access import display_name
from lvzhi.proposals.choices import AssignmentRole, AssignmentStatus, CoSignStatus, ProposerKind, ReplyStatus
from lvzhi.proposals.letters import letter_frame, starts_with_greeting, starts_with_opening
from lvzhi.proposals.models import Proposal, Reply

__all__ = ["DOCX_CONTENT_TYPE", "cn_date", "cn_number", "proposal_document", "reply_letter", "reply_letter_parts",
           "reply_title"]

KAITI = "楷体_GB2312"
SIZE_CC = Pt(14)  # 版记: 4号仿宋
RED = RGBColor(0xFF, 0x00, 0x00)


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


def _labelled(document: DocxDocument, label: str, value: str) -> Paragraph:
    p = document.add_paragraph()
    set_font(p.add_run(f"{label}："), HEADING_FONT, SIZE_BODY)
    set_font(p.add_run(value or "—"), BODY_FONT, SIZE_BODY)
    return p


def _heading(document: DocxDocument, text: str) -> None:
    p = document.add_paragraph()
    p.paragraph_format.first_line_indent = SIZE_BODY * 2
    set_font(p.add_run(text), HEADING_FONT, SIZE_BODY)


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
    document = gongwen.new_document()
    council = proposal.council
    gongwen.title(document, council.name, "提　案")
    number = proposal.number or (f"（未立案，提交编号 {proposal.serial}）" if proposal.serial else "（未立案）")
    case_line = document.add_paragraph()
    case_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_font(case_line.add_run(f"第 {number} 号" if proposal.number else number), BODY_FONT, SIZE_BODY)
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
        gongwen.body(document, text)
    return gongwen.save(document)


def reply_title(reply: Reply) -> str:
    """``关于测试市政协十四届三次会议第14-3-001号提案的答复`` (council, term and session in Chinese numerals)."""
    proposal = reply.assignment.proposal
    session = proposal.session
    council = proposal.council
    return (f"关于{council.short_name or council.name}{cn_number(session.term.number)}届"
            f"{cn_number(session.number)}次会议第{proposal.number or proposal.serial}号提案的答复")


def _copy_to(reply: Reply) -> list[str]:
    """The 抄送 list of ``reply``'s letter: for the lead unit's letter the co-handling units still on the case
    (会办单位, in order of assignment), then the council's proposals committee (提案委员会)."""
    assignment = reply.assignment
    proposal = assignment.proposal
    names: list[str] = []
    if assignment.role == AssignmentRole.LEAD:
        names = list(proposal.assignments.filter(role=AssignmentRole.CO)
                     .exclude(status__in=(AssignmentStatus.SENT_BACK, AssignmentStatus.WITHDRAWN))
                     .order_by("id").values_list("unit__name", flat=True))
    council = proposal.council
    names.append(f"{council.short_name or council.name}提案委员会")
    return names


def _width(text: str) -> float:
    """``text``'s width in characters: CJK and full-width 1, ASCII (digits of the date) ½."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def signature_indents(unit: str, day: str) -> tuple[float, float]:
    """Right indents, in characters, of the signature (发文机关署名) and the date (成文日期) lines after GB/T 9704
    §7.3.5.2 (no seal): the date 右空二字 with its first character two characters right of the signature's first
    one; when the signature is the longer by more than two characters, the signature 右空二字 and the date
    moves right under it. ``signature_indents("市发展和改革局", "2026年3月4日")`` → ``(3.0, 2.0)``."""
    sig = 2 + 2 + _width(day) - _width(unit)
    if sig >= 2:
        return sig, 2.0
    return 2.0, _width(unit) - _width(day)


def reply_letter_parts(reply: Reply) -> dict[str, Any]:
    """The text of the reply letter (答复函), part by part, as :func:`reply_letter` lays it out and the
    sign-off preview page shows it:

    ``unsent`` (bool: marked 未签发稿), ``number`` (case number), ``grade`` (code), ``unit``, ``doc_number``
    (发文字号 taken at sign-off, ``江府建〔2026〕12号``; on an unsent letter of a unit with a 机关代字 the
    number with its serial left blank, ``江府建〔2026〕　号``; ``""`` without a 机关代字), ``signer`` (``None``
    when the unit does not mark its letters with the 签发人, else the signing leader's name, ``""`` while
    unsent), ``title``, ``addressee`` (the 主送) and ``opening`` (each ``""`` when the clerk's text already
    begins with it: :mod:`lvzhi.proposals.letters`), ``text``, ``date`` (the sending day, today while unsent,
    ``2026年3月4日``), ``contact`` (``（联系人：…，联系电话：…）`` or ``""``), ``cc_units`` (list) and ``cc``
    (``抄送：市交通运输局，市政协提案委员会。``)."""
    assignment = reply.assignment
    proposal = assignment.proposal
    unit = assignment.unit
    frame = letter_frame(proposal)
    # the clerk's text may begin with the greeting and the 收悉 sentence itself: they are not added twice
    addressee = "" if starts_with_greeting(reply.text) else frame.addressee
    opening = "" if starts_with_opening(reply.text) else frame.opening
    sent = reply.status == ReplyStatus.SENT
    day = timezone.localdate(reply.sent_at) if reply.sent_at else timezone.localdate()
    if sent:
        doc_number = reply.doc_number
    else:
        doc_number = f"{unit.doc_prefix}〔{day.year}〕　号" if unit.doc_prefix else ""
    signer = (display_name(reply.signed_by) if sent else "") if unit.doc_signer else None
    contact = []
    if reply.contact_person:
        contact.append(f"联系人：{reply.contact_person}")
    if reply.contact_phone:
        contact.append(f"联系电话：{reply.contact_phone}")
    cc_units = _copy_to(reply)
    return {"unsent": not sent, "number": proposal.number or proposal.serial, "grade": reply.grade.code,
            "unit": unit.name, "doc_number": doc_number, "signer": signer, "title": reply_title(reply),
            "addressee": addressee, "opening": opening, "text": reply.text, "date": cn_date(day),
            "contact": f"（{'，'.join(contact)}）" if contact else "", "cc_units": cc_units,
            "cc": f"抄送：{'，'.join(cc_units)}。"}


def _number_line(document: DocxDocument, doc_number: str, signer: str | None) -> Paragraph:
    """The 发文字号 under the 版头 (GB/T 9704 §7.2.4/§7.2.5): centred; with a 签发人 the number 居左空一字 and
    "签发人：" (仿宋) with the name (楷体) 居右空一字. Draws the red separator line below it."""
    p = document.add_paragraph()
    if signer is None:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(p.add_run(doc_number), BODY_FONT, SIZE_BODY)
    else:
        p.paragraph_format.left_indent = SIZE_BODY
        p.paragraph_format.right_indent = SIZE_BODY
        p.paragraph_format.tab_stops.add_tab_stop(Mm(156) - SIZE_BODY * 2, WD_TAB_ALIGNMENT.RIGHT)
        set_font(p.add_run(f"{doc_number}\t签发人："), BODY_FONT, SIZE_BODY)
        set_font(p.add_run(signer or "　" * 3), KAITI, SIZE_BODY)
    gongwen.rule(p, color="FF0000", size_eighths=8)
    return p


def reply_letter(reply: Reply) -> bytes:
    """The reply letter (答复函) as a .docx file (bytes) on the GB/T 9704 page (:mod:`lvzhi.core.gongwen`), part
    by part as :func:`reply_letter_parts` gives them. The caller has checked access (``access_reply``).

    An unsent reply is marked 未签发稿, dated today, its 发文字号 without a serial."""
    parts = reply_letter_parts(reply)
    document = gongwen.new_document()
    if parts["unsent"]:
        gongwen.line(document, "（未签发稿）", face=HEADING_FONT)
    # case number on the left, the reply grade on the right as printed on real letters: "（A类）"
    number_line = document.add_paragraph()
    number_line.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    set_font(number_line.add_run(f"案号：{parts['number']}\t（{parts['grade']}类）"), BODY_FONT, SIZE_BODY)
    # 版头: the issuing unit in red 小标宋, the document number and the red separator line
    masthead = gongwen.title(document, parts["unit"], blank_after=False)[0]
    for run in masthead.runs:
        run.font.color.rgb = RED
    document.add_paragraph()
    _number_line(document, parts["doc_number"], parts["signer"])
    document.add_paragraph()
    gongwen.title(document, parts["title"])
    if parts["addressee"]:
        gongwen.line(document, f"{parts['addressee']}：")
    if parts["opening"]:
        gongwen.body(document, parts["opening"])
    gongwen.body(document, parts["text"])
    document.add_paragraph()
    sig, day = signature_indents(parts["unit"], parts["date"])
    for text, indent in ((parts["unit"], sig), (parts["date"], day)):
        p = gongwen.line(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(SIZE_BODY.pt * indent)
    if parts["contact"]:  # 附注: 居左空二字, the line under the date
        gongwen.body(document, parts["contact"])
    # 版记: 抄送 in 4号仿宋, 左右各空一字, between a thick and a thin line
    document.add_paragraph()
    cc = document.add_paragraph()
    cc.paragraph_format.left_indent = cc.paragraph_format.right_indent = SIZE_CC
    set_font(cc.add_run(parts["cc"]), BODY_FONT, SIZE_CC)
    gongwen.rule(cc, position="top", size_eighths=8)
    gongwen.rule(cc, position="bottom", size_eighths=4)
    return gongwen.save(document)
