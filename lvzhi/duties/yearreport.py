"""The year's work-report figures (年度工作数读) of a council, item 9 of issue 9: every module's 数读 in one Word
document and one Excel workbook.

Gathered by :func:`year_sections` (nothing recomputed here): the statistics of :mod:`lvzhi.reports` —
proposals (:func:`~lvzhi.reports.queries.council_statistics`) for a CPPCC or deputies' suggestions
(:func:`~lvzhi.reports.queries.npc_statistics`) for a people's congress, public-opinion reports and citizens'
messages — then every section registered with :mod:`lvzhi.core.sections` (liaison stations, the outreach
office, livelihood projects, the duties' figures …), each as a :class:`~lvzhi.core.sections.Section`.

:func:`yearly_docx` lays each module out like the seeds' "数读" boxes (``../shared/seeds``: "提案立案227件",
"获得批示80次"): a grid of boxes, three a row, each a headline figure in large type over its label, then every
breakdown as a table with a bar chart. matplotlib is not in the project's environment, so the charts are drawn
as shaded table cells (no image). :func:`yearly_xlsx` writes one sheet per module
(:func:`lvzhi.reports.excel.section_sheet`) with a native Excel bar chart of each breakdown's first count column.
"""

from __future__ import annotations

import io
from datetime import date

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from lvzhi.core import gongwen
from lvzhi.core import sections as module_sections
from lvzhi.core.sections import Section, Table, Value
from lvzhi.duties.yearly import BAR_CELLS, BAR_COLOUR, BOX_COLOUR, _shade
from lvzhi.members.models import Council, Session
from lvzhi.reports.excel import section_sheet
from lvzhi.reports.queries import (
    MESSAGE_SUMMARY_FIELDS,
    OPINION_SUMMARY_FIELDS,
    council_statistics,
    figures,
    npc_statistics,
    percent,
    show,
    uses_suggestions,
)

BOXES_PER_ROW = 3
HEADLINE_COLOUR = RGBColor(0xB0, 0x1E, 0x23)


def _proposal_section(council: Council, start: date, end: date) -> Section:
    stats = council_statistics(council, date_from=start, date_to=end).proposals
    rows = [(_(label), percent(v) if is_ratio else v) for _k, label, v, is_ratio in stats.summary()]
    return Section("proposals", _("提案"), rows, scope=stats.scope.label(), tables=[
        Table(_("提案类别"), [_("类别"), _("收到"), _("立案")],
              [[r.label, r.received, r.filed] for r in stats.by_category]),
        Table(_("提案者类型"), [_("类型"), _("件数"), _("占比")],
              [[r.label, r.count, r.share_percent] for r in stats.by_proposer_kind if r.count]),
        Table(_("答复类别"), [_("类别"), _("件数"), _("占比")], [[r.label, r.count, r.share_percent] for r in stats.grades]),
        Table(_("满意度测评"), [_("结果"), _("件数"), _("占比")],
              [[r.label, r.count, r.share_percent] for r in stats.satisfaction]),
    ])


def _suggestion_section(council: Council, year: int) -> Section:
    sessions = list(Session.objects.filter(term__council=council, plenary_start__year=year))
    session = sessions[0] if len(sessions) == 1 else None
    data = npc_statistics(council, session=session)
    scope = (_("第%(term)d届第%(n)d次会议") % {"term": session.term.number, "n": session.number}
             if session is not None else _("全部会次"))
    return Section("suggestions", _("代表建议"), [(_(label), show(v, kind) if kind == "ratio" else v)
                                               for _k, label, v, kind in data["summary"]], scope=scope, tables=[
        Table(_("代表团"), [_("代表团"), _("件数"), _("占比")], [[n, c, percent(sh)] for n, c, sh in data["delegations"]]),
        Table(_("答复类别"), [_("类别"), _("件数"), _("占比")], [[g, c, percent(sh)] for g, c, sh in data["grade_rows"]]),
    ])


def _shown(data: dict[str, object], fields: list[tuple[str, str, str]]) -> list[tuple[str, Value]]:
    out: list[tuple[str, Value]] = []
    for _k, label, value, kind in figures(data, fields):
        out.append((_(label), show(value, kind) if kind != "count" else value))  # type: ignore[arg-type]
    return out


def year_sections(council: Council, year: int) -> list[Section]:
    """Every module's figures of ``council`` for calendar ``year``, in the order of the report: proposals (CPPCC)
    or deputies' suggestions (NPC: of the year's session when there is exactly one, else of every session), 社情民意,
    群众意见, then the registered sections (:func:`lvzhi.core.sections.sections` for 1 January–31 December)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    whole = council_statistics(council, date_from=start, date_to=end)
    first = _suggestion_section(council, year) if uses_suggestions(council) else _proposal_section(council, start, end)
    dates = f"{start:%Y-%m-%d} — {end:%Y-%m-%d}"
    opinions = whole.opinions
    messages = whole.messages
    out = [first,
           Section("opinions", _("社情民意"), _shown(opinions, OPINION_SUMMARY_FIELDS), scope=dates, tables=[
               Table(_("领导批示（按级别）"), [_("级别"), _("批示件次"), _("获批示信息（篇）")],
                     [[v["label"], v["instructions"], v["reports"]] for v in opinions["instructed_by_level"].values()])]),
           Section("messages", _("群众意见"), _shown(messages, MESSAGE_SUMMARY_FIELDS), scope=dates, tables=[
               Table(_("渠道"), [_("渠道"), _("件数")],
                     [[v["label"], v["count"]] for v in messages["by_channel"].values()])])]
    return out + module_sections.sections(council.pk, start, end)


def _headline(value: Value) -> str:
    return "—" if value is None else str(value)


def _boxes(doc: object, section: Section) -> None:
    rows = [section.figures[i:i + BOXES_PER_ROW] for i in range(0, len(section.figures), BOXES_PER_ROW)]
    if not rows:
        return
    grid = doc.add_table(rows=0, cols=BOXES_PER_ROW)  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for chunk in rows:
        cells = grid.add_row().cells
        for cell, (label, value) in zip(cells, chunk, strict=False):
            _shade(cell, BOX_COLOUR)
            top = cell.paragraphs[0]
            top.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = top.add_run(_headline(value))
            run.bold, run.font.size, run.font.color.rgb = True, Pt(20), HEADLINE_COLOUR
            below = cell.add_paragraph(label)
            below.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _count_column(table: Table) -> int | None:
    """The first column (after the label) whose cells are all integers, if any row has one above 0."""
    for col in range(1, len(table.headers)):
        cells = [row[col] for row in table.rows if col < len(row)]
        if cells and all(isinstance(c, int) and not isinstance(c, bool) for c in cells) and any(cells):
            return col
    return None


def _breakdown(doc: object, table: Table) -> None:
    doc.add_heading(table.caption, level=3)  # type: ignore[attr-defined]
    if not table.rows:
        doc.add_paragraph(_("（无）"))  # type: ignore[attr-defined]
        return
    col = _count_column(table)
    grid = doc.add_table(rows=1, cols=len(table.headers) + (BAR_CELLS if col is not None else 0))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=False):
        cell.text = text
    top = max((int(r[col]) for r in table.rows), default=0) if col is not None else 0  # type: ignore[arg-type]
    for row in table.rows:
        cells = grid.add_row().cells
        for i, value in enumerate(row):
            cells[i].text = _headline(value)
        if col is not None and top:
            filled = round(BAR_CELLS * int(row[col]) / top)  # type: ignore[arg-type]
            for i in range(filled):
                _shade(cells[len(table.headers) + i], BAR_COLOUR)


def yearly_docx(council: Council, year: int, sections: list[Section]) -> bytes:
    """The Word document (bytes): a title and a front grid of each module's headline figure, then per module a
    heading with its scope, the boxes and the breakdowns with their bars."""
    doc = Document()
    gongwen.page_setup(doc)  # A4, GB/T 9704 margins, page numbers
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(_("%(council)s %(year)d 年工作数读") % {"council": council.name, "year": year}, level=1)
    # the front page: each module's first (headline) figure, labelled with the module
    _boxes(doc, Section("overview", "", [(f"{s.title} · {s.figures[0][0]}", s.figures[0][1])
                                         for s in sections if s.figures]))
    for section in sections:
        doc.add_heading(section.title, level=2)
        if section.scope:
            doc.add_paragraph(_("统计范围：%(scope)s") % {"scope": section.scope})
        _boxes(doc, section)
        for table in section.tables:
            _breakdown(doc, table)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def yearly_xlsx(sections: list[Section]) -> bytes:
    """The workbook (bytes): one sheet per module (统计范围, the figures, then each breakdown), each breakdown with
    a count column charted as a bar chart to the right."""
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for section in sections:
        ws = section_sheet(wb, section)
        anchor_row = 1
        row = len(section.figures) + 2  # header row, 统计范围, figures
        for table in section.tables:
            row += 3  # blank, caption, headers
            col = _count_column(table)
            if col is not None and table.rows:
                chart = BarChart()
                chart.type, chart.title, chart.legend = "bar", table.caption, None
                chart.add_data(Reference(ws, min_col=col + 1, min_row=row, max_row=row + len(table.rows)),
                               titles_from_data=True)
                chart.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=row + len(table.rows)))
                ws.add_chart(chart, f"E{anchor_row}")
                anchor_row += 16
            row += len(table.rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
