"""The duty scores of a council as an Excel workbook: 数读 (the year's figures with bar charts of meetings
by kind and of grades), 排名 (rank, name, sector, score, grade, minimum duties, points per group or item)
and 明细 (every act's points with the item and the note: the explanation)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from lvzhi.duties.queries import duty_figures
from lvzhi.duties.scoring import CouncilScores


def scores_workbook(result: CouncilScores, period_label: str) -> bytes:
    """The .xlsx bytes of ``result`` (see the module docstring)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "排名"
    heads = [g.name for g in result.rule_set.groups] or [i.label for i in result.rule_set.items]
    ws.append([f"{result.council.name} {period_label} 履职积分（{result.rule_set.name}）"])
    ws.append(["名次", "姓名", "界别", "得分", "等次", "基本履职要求", *heads])
    for s in result.members:
        parts = {g.name: g.total for g in s.groups} if result.rule_set.groups else s.item_points()
        duties = ("已完成" if s.minimum_met else "未完成") if s.duties else ""
        ws.append([s.rank, s.name, s.sector, float(s.score), s.grade, duties,
                   *[float(parts.get(h, 0)) for h in heads]])
    detail = wb.create_sheet("明细")
    detail.append(["姓名", "类别", "项目", "日期", "履职事项", "原始分", "计分", "说明"])
    for s in result.members:
        for g in s.groups:
            for it in g.items:
                for ln in it.lines:
                    detail.append([s.name, g.name, it.label, ln.act.day.isoformat(), ln.act.title, float(ln.raw),
                                   float(ln.points), ln.note])
            if g.name and g.cap is not None and g.total != g.subtotal:
                detail.append([s.name, g.name, "（类别上限）", "", "", float(g.subtotal), float(g.total),
                               f"按上限 {g.cap.normalize():f} 分计"])
    figures = duty_figures(result)
    box = wb.create_sheet("数读", 0)
    box.append([f"{result.council.name} {period_label} 委员履职数读"])
    for label, value in figures.rows():
        box.append([label, value])
    start = box.max_row + 2
    box.cell(row=start, column=1, value="会议类型")
    box.cell(row=start, column=2, value="场次")
    for i, (kind, n) in enumerate(figures.meetings.items(), start=1):
        box.cell(row=start + i, column=1, value=kind)
        box.cell(row=start + i, column=2, value=n)
    if figures.meetings:
        chart = BarChart()
        chart.title, chart.y_axis.title = "会议活动", "场"
        chart.add_data(Reference(box, min_col=2, min_row=start, max_row=start + len(figures.meetings)),
                       titles_from_data=True)
        chart.set_categories(Reference(box, min_col=1, min_row=start + 1, max_row=start + len(figures.meetings)))
        box.add_chart(chart, "D2")
    g0 = start + len(figures.meetings) + 2
    box.cell(row=g0, column=1, value="等次")
    box.cell(row=g0, column=2, value="人数")
    for i, (name, n, _share) in enumerate(figures.grades, start=1):
        box.cell(row=g0 + i, column=1, value=name)
        box.cell(row=g0 + i, column=2, value=n)
    if figures.grades:
        chart = BarChart()
        chart.title, chart.y_axis.title = "考评等次", "人"
        chart.add_data(Reference(box, min_col=2, min_row=g0, max_row=g0 + len(figures.grades)), titles_from_data=True)
        chart.set_categories(Reference(box, min_col=1, min_row=g0 + 1, max_row=g0 + len(figures.grades)))
        box.add_chart(chart, "D20")
    box.column_dimensions["A"].width, box.column_dimensions["B"].width = 24, 40
    for sheet, row in ((ws, 2), (detail, 1)):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
