"""The compilation (汇编) of a session's published reply letters as one Word document: the proposals' reply
letters of a CPPCC session, or the suggestions' reply letters of a people's congress session.

Layout, on the GB/T 9704 page of :mod:`lvzhi.core.gongwen`:

1. a title page (no page number): the council, ``十四届三次会议`` and ``提案答复汇编`` / ``代表建议答复汇编``,
   the number of letters and the day it was compiled;
2. the table of contents (目录) from page 2: one row per letter — case number, title, handling unit, page —
   where the page is a ``PAGEREF`` field to a bookmark on the letter's first line, so Word (asked by
   ``w:updateFields`` to update fields on opening) and LibreOffice show the page the letter starts on;
3. every published letter (:func:`lvzhi.reports.documents.write_letter`), each starting on a new page, in
   case-number order (numbers compared part by part as numbers: ``14-3-2`` before ``14-3-10``), then by unit and
   round. Published: a proposal's reply sent (已签发), a suggestion's reply signed off; drafts, replies awaiting
   sign-off or returned, and cases without a reply are left out.

Page numbers run on through the whole document ("— N —", the title page counted as 1 but not numbered).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from lvzhi.cases.choices import ReplyStatus as CaseReplyStatus
from lvzhi.cases.models import Reply as CaseReply
from lvzhi.core import gongwen
from lvzhi.core.gongwen import BODY_FONT, HEADING_FONT, cn_date, set_font
from lvzhi.members.models import Session
from lvzhi.proposals.choices import ReplyStatus
from lvzhi.proposals.models import Reply
from lvzhi.reports.documents import (
    cn_number,
    congress_session_name,
    reply_letter_parts,
    suggestion_letter_parts,
    write_letter,
)

SIZE_TOC = Pt(14)  # 4号: the table of contents
PROPOSALS = "proposals"
SUGGESTIONS = "suggestions"


@dataclass(frozen=True)
class Entry:
    """One letter of the compilation: ``number`` (case number), ``title`` (the case's), ``unit`` and the
    letter's ``parts`` (as :func:`write_letter` takes them)."""

    number: str
    title: str
    unit: str
    parts: dict[str, Any]


def number_key(number: str) -> tuple[Any, ...]:
    """Sort key of a case number: digit runs as numbers, the rest as text (``14-3-2`` < ``14-3-10``; an empty
    number last)."""
    if not number:
        return ((1, ""),)
    return tuple((0, int(part)) if part.isdigit() else (0.5, part) for part in re.findall(r"\d+|\D+", number))


def proposal_entries(session: Session) -> list[Entry]:
    """The sent reply letters of the proposals of ``session`` (every round and unit), in case-number order."""
    replies = (Reply.objects.filter(status=ReplyStatus.SENT, assignment__proposal__session=session)
               .select_related("assignment__proposal__council", "assignment__proposal__session__term",
                               "assignment__proposal__organisation", "assignment__unit", "grade", "signed_by"))
    rows = sorted(replies, key=lambda r: (number_key(r.assignment.proposal.number or ""), r.assignment.unit.name,
                                          r.round, r.pk))
    return [Entry(r.assignment.proposal.number or "", r.assignment.proposal.title, r.assignment.unit.name,
                  reply_letter_parts(r)) for r in rows]


def suggestion_entries(session: Session) -> list[Entry]:
    """The signed-off reply letters (answers and final answers) of the suggestions of ``session``, in
    case-number order."""
    from lvzhi.suggestions.defaults import CASE_TYPE
    from lvzhi.suggestions.models import Suggestion

    cases = {s.pk: s for s in Suggestion.objects.filter(session=session).select_related("council", "session__term")}
    replies = (CaseReply.objects.filter(status=CaseReplyStatus.SIGNED, assignment__case_type=CASE_TYPE,
                                        assignment__object_id__in=list(cases))
               .select_related("assignment__unit", "grade", "signed_by"))
    out = []
    for r in replies:
        case = cases[r.assignment.object_id]
        r.assignment.case = case  # the generic relation's cache: the letter's parts read it
        out.append((case, r))
    out.sort(key=lambda cr: (number_key(cr[0].number or ""), cr[1].assignment.unit.name, cr[1].round,
                             cr[1].kind, cr[1].pk))
    return [Entry(case.number or "", case.title, r.assignment.unit.name, suggestion_letter_parts(r))
            for case, r in out]


def letter_count(session: Session, kind: str) -> int:
    """How many letters the compilation of ``session`` holds (the published replies of ``kind``)."""
    if kind == SUGGESTIONS:
        from lvzhi.suggestions.defaults import CASE_TYPE
        from lvzhi.suggestions.models import Suggestion

        return CaseReply.objects.filter(status=CaseReplyStatus.SIGNED, assignment__case_type=CASE_TYPE,
                                        assignment__object_id__in=Suggestion.objects.filter(session=session)
                                        .values("pk")).count()
    return Reply.objects.filter(status=ReplyStatus.SENT, assignment__proposal__session=session).count()


def session_name(session: Session, kind: str) -> str:
    """``江门市政协十四届三次会议`` (proposals) or ``江门市十六届人大三次会议`` (suggestions)."""
    council = session.term.council
    if kind == SUGGESTIONS:
        return congress_session_name(council, session)
    return f"{council.short_name or council.name}{cn_number(session.term.number)}届{cn_number(session.number)}次会议"


def _bookmark(paragraph: Paragraph, ident: int, name: str) -> None:
    p = paragraph._p
    start = p.makeelement(qn("w:bookmarkStart"), {qn("w:id"): str(ident), qn("w:name"): name})
    end = p.makeelement(qn("w:bookmarkEnd"), {qn("w:id"): str(ident)})
    p_pr = p.pPr
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def _page_ref(paragraph: Paragraph, name: str) -> None:
    """A ``PAGEREF name \\h`` field (the page of bookmark ``name``), its shown value left for the reader's
    program to compute."""
    for kind in ("begin", "instr", "separate", "value", "end"):
        run = paragraph.add_run()
        set_font(run, BODY_FONT, SIZE_TOC)
        r = run.element
        if kind == "instr":
            instr = r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            instr.text = f" PAGEREF {name} \\h "
            r.append(instr)
        elif kind == "value":
            run.text = "?"
        else:
            r.append(r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))


def _update_fields_on_open(document: DocxDocument) -> None:
    settings_el = document.settings.element
    if settings_el.find(qn("w:updateFields")) is None:
        settings_el.append(settings_el.makeelement(qn("w:updateFields"), {qn("w:val"): "true"}))


def _cell(cell: Any, text: str, *, bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    if align is not None:
        p.alignment = align
    set_font(p.add_run(text), HEADING_FONT if bold else BODY_FONT, SIZE_TOC)
    return p


def compile_letters(entries: Iterable[Entry], *, council_name: str, session_title: str, heading: str,
                    progress: Callable[[int], None] | None = None) -> bytes:
    """The compilation as .docx bytes: title page, table of contents, then each of ``entries`` on a new page
    (see the module docstring). ``progress(done)`` after each letter."""
    entries = list(entries)
    document = gongwen.new_document()
    section = document.sections[0]
    section.different_first_page_header_footer = True  # the title page bears no page number
    section.first_page_footer.is_linked_to_previous = False  # an empty footer of its own
    _update_fields_on_open(document)
    # title page
    for _ in range(5):
        document.add_paragraph()
    gongwen.title(document, council_name, session_title, heading, blank_after=False)
    for _ in range(6):
        document.add_paragraph()
    gongwen.line(document, f"共 {len(entries)} 件", align=WD_ALIGN_PARAGRAPH.CENTER)
    gongwen.line(document, cn_date(timezone.localdate()), align=WD_ALIGN_PARAGRAPH.CENTER)
    # table of contents
    toc_title = gongwen.title(document, "目　　录")[0]
    toc_title.paragraph_format.page_break_before = True
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Mm(30), Mm(74), Mm(38), Mm(14))  # 156 mm, the type area's width
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for cell, text, width in zip(table.rows[0].cells, ("编号", "标题", "承办单位", "页码"), widths, strict=True):
        cell.width = width
        _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for i, entry in enumerate(entries, start=1):
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        _cell(cells[0], entry.number)
        _cell(cells[1], entry.title)
        _cell(cells[2], entry.unit)
        _page_ref(_cell(cells[3], "", align=WD_ALIGN_PARAGRAPH.CENTER), f"letter_{i}")
    # the letters
    body = document.element.body
    for i, entry in enumerate(entries, start=1):
        first = len(body) - 1  # the new paragraphs go before the final sectPr
        write_letter(document, entry.parts)
        opening = Paragraph(body[first], document._body)
        opening.paragraph_format.page_break_before = True
        _bookmark(opening, i, f"letter_{i}")
        if progress is not None:
            progress(i)
    return gongwen.save(document)


def heading_of(kind: str) -> str:
    """``代表建议答复汇编`` or ``提案答复汇编``."""
    return "代表建议答复汇编" if kind == SUGGESTIONS else "提案答复汇编"


def compile_session(session: Session, kind: str, *, progress: Callable[[int], None] | None = None) -> bytes:
    """The compilation of ``session``'s published reply letters: ``kind`` :data:`PROPOSALS` or
    :data:`SUGGESTIONS`. The caller has checked access (:func:`lvzhi.reports.access.access_compilation_session`)."""
    entries = suggestion_entries(session) if kind == SUGGESTIONS else proposal_entries(session)
    council = session.term.council
    return compile_letters(entries, council_name=council.name, session_title=session_name(session, kind),
                           heading=heading_of(kind), progress=progress)
