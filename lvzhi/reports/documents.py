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
- :func:`suggestion_reply_letter`: a handling unit's reply to a deputy's suggestion (代表建议答复函) in the same
  layout: 建议编号 and grade, 版头, 发文字号 (and 签发人), ``关于……第N号建议的答复``, 主送 ``XX代表：``,
  ``您提出的关于……的建议收悉``, signature and date, contact, 抄送 the co-handling units and the deputies'
  affairs committee (代表工作委员会).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from lvzhi.cases.choices import AssignmentRole as CaseRole
from lvzhi.cases.choices import AssignmentStatus as CaseStatus
from lvzhi.cases.choices import JointReplyMode
from lvzhi.cases.choices import ReplyStatus as CaseReplyStatus
from lvzhi.cases.models import Assignment as CaseAssignment
from lvzhi.cases.models import Reply as CaseReply
from lvzhi.cases.policy import policy_for
from lvzhi.core import gongwen
from lvzhi.core.gongwen import BODY_FONT, DOCX_CONTENT_TYPE, HEADING_FONT, SIZE_BODY, cn_date, set_font
from lvzhi.members.access import display_name
from lvzhi.proposals.choices import AssignmentRole, AssignmentStatus, CoSignStatus, ProposerKind, ReplyStatus
from lvzhi.proposals.letters import letter_frame, starts_with_greeting, starts_with_opening
from lvzhi.proposals.models import Proposal, Reply
from lvzhi.suggestions.choices import DeputyRole, DeputyStatus

__all__ = ["DOCX_CONTENT_TYPE", "cn_date", "cn_number", "proposal_document", "reply_letter", "reply_letter_parts",
           "reply_title", "suggestion_letter_parts", "suggestion_reply_letter", "write_letter"]

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


def write_letter(document: DocxDocument, parts: dict[str, Any]) -> None:
    """Add a reply letter, part by part as :func:`reply_letter_parts` or :func:`suggestion_letter_parts` give
    them, to ``document`` (a :func:`lvzhi.core.gongwen.new_document`): the 未签发稿 mark, the case number with
    the grade, the 版头, the 发文字号 line, the title, the 主送, the opening, the text, signature and date, the
    附注 and the 版记."""
    if parts["unsent"]:
        gongwen.line(document, "（未签发稿）", face=HEADING_FONT)
    # case number on the left, the reply grade on the right as printed on real letters: "（A类）"
    number_line = document.add_paragraph()
    number_line.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    label = parts.get("number_label", "案号")
    set_font(number_line.add_run(f"{label}：{parts['number']}\t（{parts['grade']}类）"), BODY_FONT, SIZE_BODY)
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


def reply_letter(reply: Reply) -> bytes:
    """The reply letter (答复函) as a .docx file (bytes) on the GB/T 9704 page (:mod:`lvzhi.core.gongwen`), part
    by part as :func:`reply_letter_parts` gives them. The caller has checked access (``access_reply``).

    An unsent reply is marked 未签发稿, dated today, its 发文字号 without a serial."""
    document = gongwen.new_document()
    write_letter(document, reply_letter_parts(reply))
    return gongwen.save(document)


# ---------------------------------------------------------------------------------------------- suggestions


def congress_session_name(council: Any, session: Any) -> str:
    """The congress session as a suggestion's letter names it: ``江门市十六届人大三次会议`` for the standing
    committee ``江门市人大常委会`` (term and session in Chinese numerals); a council whose short name does
    not end in 人大常委会/人大 is named as it is: ``<name>十六届三次会议``."""
    name = council.short_name or council.name
    for tail in ("人大常委会", "人民代表大会常务委员会", "人大"):
        if name.endswith(tail):
            place = name[: -len(tail)]
            return f"{place}{cn_number(session.term.number)}届人大{cn_number(session.number)}次会议"
    return f"{name}{cn_number(session.term.number)}届{cn_number(session.number)}次会议"


def suggestion_letter_title(suggestion: Any) -> str:
    """``关于江门市十六届人大三次会议第2026-0001号建议的答复``."""
    return f"关于{congress_session_name(suggestion.council, suggestion.session)}第{suggestion.number}号建议的答复"


def suggestion_opening(suggestion: Any) -> str:
    """``您提出的关于加快老旧小区改造的建议（第2026-0001号）收悉。经认真研究，现答复如下：`` — the title's own
    关于……的建议 kept, added around a title without them."""
    core = suggestion.title.strip()
    core = core.removeprefix("关于")
    for tail in ("的建议", "建议"):
        if core.endswith(tail):
            core = core[: -len(tail)]
            break
    number = f"（第{suggestion.number}号）" if suggestion.number else ""
    return f"您提出的关于{core}的建议{number}收悉。经认真研究，现答复如下："


def _suggestion_copy_to(reply: CaseReply, suggestion: Any) -> list[str]:
    """The 抄送 list of a suggestion's reply letter: for the lead unit's letter the co-handling units still on
    the case (in order of assignment), then the council's deputies' affairs committee (代表工作委员会)."""
    assignment = reply.assignment
    names: list[str] = []
    if assignment.role == CaseRole.LEAD:
        names = list(CaseAssignment.objects.filter(
            content_type_id=assignment.content_type_id, object_id=assignment.object_id, role=CaseRole.CO)
            .exclude(status__in=(CaseStatus.SENT_BACK, CaseStatus.WITHDRAWN))
            .order_by("id").values_list("unit__name", flat=True))
    council = suggestion.council
    names.append(f"{council.short_name or council.name}代表工作委员会")
    return names


def addressed_deputies(suggestion: Any, joint_reply_mode: str) -> list[str]:
    """The names of the deputies a suggestion's letter is addressed to: the leading deputy, and with the
    ``each`` joint reply mode every confirmed seconding deputy after them, in order of invitation."""
    roles = [DeputyRole.LEADING] + ([DeputyRole.SECONDING] if joint_reply_mode == JointReplyMode.EACH else [])
    rows = (suggestion.deputies.filter(role__in=roles)
            .filter(Q(role=DeputyRole.LEADING) | Q(status=DeputyStatus.CONFIRMED))
            .select_related("member").order_by("role", "id"))
    leading = [r.member.name for r in rows if r.role == DeputyRole.LEADING]
    return leading + [r.member.name for r in rows if r.role != DeputyRole.LEADING]


def suggestion_letter_parts(reply: CaseReply) -> dict[str, Any]:
    """The parts of a suggestion's reply letter (代表建议答复函), the keys of :func:`reply_letter_parts` plus
    ``number_label`` (建议编号): the 主送 ``张三、李四代表`` (the deputies the policy answers: each confirmed
    joint deputy, or the leading one — :meth:`Suggestion.evaluator_ids`), the opening
    :func:`suggestion_opening`, the title :func:`suggestion_letter_title`, the 发文字号 taken at sign-off
    (``Reply.doc_number``), the 签发人 when the unit marks its letters so, the date of sign-off (today while
    unsigned), and the 抄送 :func:`_suggestion_copy_to`. Greeting and opening are left out when the clerk's
    text already begins with them."""
    assignment = reply.assignment
    suggestion: Any = assignment.case
    unit = assignment.unit
    names = addressed_deputies(suggestion, policy_for(suggestion.council_id, assignment.case_type).joint_reply_mode)
    addressee = "" if starts_with_greeting(reply.text) or not names else f"{'、'.join(names)}代表"
    opening = "" if starts_with_opening(reply.text) else suggestion_opening(suggestion)
    signed = reply.status == CaseReplyStatus.SIGNED
    day = timezone.localdate(reply.signed_at) if reply.signed_at else timezone.localdate()
    if signed:
        doc_number = reply.doc_number
    else:
        doc_number = f"{unit.doc_prefix}〔{day.year}〕　号" if unit.doc_prefix else ""
    signer = (display_name(reply.signed_by) if signed and reply.signed_by_id else "") if unit.doc_signer else None
    contact = []
    if reply.contact_person:
        contact.append(f"联系人：{reply.contact_person}")
    if reply.contact_phone:
        contact.append(f"联系电话：{reply.contact_phone}")
    cc_units = _suggestion_copy_to(reply, suggestion)
    return {"unsent": not signed, "number": suggestion.number, "number_label": "建议编号",
            "grade": reply.grade.code, "unit": unit.name, "doc_number": doc_number, "signer": signer,
            "title": suggestion_letter_title(suggestion), "addressee": addressee, "opening": opening,
            "text": reply.text, "date": cn_date(day), "contact": f"（{'，'.join(contact)}）" if contact else "",
            "cc_units": cc_units, "cc": f"抄送：{'，'.join(cc_units)}。"}


def suggestion_reply_letter(reply: CaseReply) -> bytes:
    """A suggestion's reply letter (代表建议答复函) as a .docx file (bytes), laid out as the proposal's
    (:func:`write_letter`) with the parts of :func:`suggestion_letter_parts`. The caller has checked access
    (:func:`lvzhi.suggestions.access.access_suggestion_reply`). An unsigned reply is marked 未签发稿."""
    document = gongwen.new_document()
    write_letter(document, suggestion_letter_parts(reply))
    return gongwen.save(document)
