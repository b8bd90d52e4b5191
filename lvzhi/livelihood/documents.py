"""The materials pack of a vote (票决材料), sent to deputies before the session (issue 7 §2): a Word document
with the voting rules and the candidate list — number, project, place, content, investment (万元),
planned completion and responsible unit."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.oxml.ns import qn

from lvzhi.core import gongwen
from lvzhi.livelihood.models import Vote


def materials_docx(vote: Vote) -> bytes:
    """The pack of ``vote`` as .docx bytes."""
    doc = Document()
    gongwen.page_setup(doc)  # A4, GB/T 9704 margins, page numbers
    style = doc.styles["Normal"]
    style.font.name = "SimSun"  # type: ignore[attr-defined]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")  # type: ignore[attr-defined]
    doc.add_heading(vote.title, level=1)
    candidates = list(vote.candidates.select_related("unit", "suggestion").order_by("code"))
    doc.add_paragraph(
        f"候选项目 {len(candidates)} 个，应选 {vote.places} 项（差额票决）。全体代表 {vote.electorate} 名。"
        f"每位代表对每个候选项目可投赞成、反对或弃权票，不投视为弃权；赞成票不得超过 {vote.places} 项，"
        "超过的选票或有其他标记的选票无效。收回选票多于发出选票的，表决无效。候选项目获得全体代表过半数"
        "赞成票的为通过；通过的项目多于应选数时，以赞成票多的当选；票数相等不能确定当选的，就票数相等的项目"
        "再次投票。")
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["编号", "项目名称", "实施地点及内容", "投资（万元）", "计划完成时间",
                                                "责任单位"], strict=True):
        cell.text = text
    for c in candidates:
        s = c.suggestion
        detail = "；".join(part for part in ((s.place if s else ""), (s.content if s else "")) if part)
        row = table.add_row().cells
        for cell, text in zip(row, [c.code, c.title, detail, f"{c.investment}",
                                    c.completion.isoformat() if c.completion else "", c.unit.name if c.unit else ""],
                              strict=True):
            cell.text = text
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
