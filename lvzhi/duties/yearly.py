"""The year's duty report (履职数读) of a council as a Word document: the headline figures in a boxed table
(the layout of the seeds' "数读" boxes), bar charts drawn as shaded table cells (meetings by kind, grades;
no image library needed), and the ranking's first ten. The same figures go into the Excel workbook
(:mod:`lvzhi.duties.excel`, with native charts)."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from lvzhi.core import gongwen
from lvzhi.duties.queries import DutyFigures
from lvzhi.duties.scoring import CouncilScores

BAR_CELLS = 20
BAR_COLOUR = "2F6FB0"
BOX_COLOUR = "EAF1FB"


def _shade(cell: object, colour: str) -> None:
    cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" '  # type: ignore[attr-defined]
                                                f'w:fill="{colour}"/>'))


def _bars(document: object, title: str, values: list[tuple[str, int]]) -> None:
    document.add_heading(title, level=2)  # type: ignore[attr-defined]
    top = max((v for _k, v in values), default=0)
    table = document.add_table(rows=0, cols=BAR_CELLS + 2)  # type: ignore[attr-defined]
    for label, value in values:
        cells = table.add_row().cells
        cells[0].text = label
        filled = round(BAR_CELLS * value / top) if top else 0
        for i in range(filled):
            _shade(cells[1 + i], BAR_COLOUR)
        cells[-1].text = str(value)


def yearly_docx(result: CouncilScores, figures: DutyFigures, period_label: str) -> bytes:
    """The Word document (bytes) of ``result`` and ``figures`` for ``period_label``."""
    doc = Document()
    gongwen.page_setup(doc)  # A4, GB/T 9704 margins, page numbers
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(f"{result.council.name}{period_label}委员履职数读", level=1)
    doc.add_paragraph(f"统计期间：{result.start:%Y-%m-%d} 至 {result.end:%Y-%m-%d}；考评规则：{result.rule_set.name}；"
                      f"委员 {figures.members} 人。")
    box = doc.add_table(rows=0, cols=2)
    box.style = "Table Grid"
    for label, value in figures.rows():
        cells = box.add_row().cells
        cells[0].text, cells[1].text = label, value
        for c in cells:
            _shade(c, BOX_COLOUR)
    if figures.meetings:
        _bars(doc, "会议活动（场）", list(figures.meetings.items()))
    if figures.grades:
        _bars(doc, "考评等次（人）", [(name, n) for name, n, _share in figures.grades])
    doc.add_heading("履职积分前十名", level=2)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("名次", "姓名", "得分", "等次"), strict=True):
        cell.text = text
    for s in result.members[:10]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = str(s.rank), s.name, f"{s.score:.2f}", s.grade
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
