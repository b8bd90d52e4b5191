"""Excel workbooks (openpyxl): the statistics workbook and the proposal list export.

- :func:`statistics_workbook`: one sheet per table of :class:`~lvzhi.reports.queries.ProposalStatistics`,
  then sheets 社情民意 and 群众意见 for the public-opinion report and citizens' message figures; Chinese
  headers, ratios written as numbers 0..1 in cells formatted as percent (``0.0%``), durations in calendar
  days as numbers formatted ``0.0``.
- :func:`write_proposal_list`: the proposal list in openpyxl's write-only mode (rows streamed to a temporary
  file, so 100,000 rows do not sit in memory), reading the proposals with ``.iterator(chunk_size=…)`` and a
  fixed number of queries per chunk (the chunk, then confirmed co-signers, assignments, sent replies and
  their evaluations: 5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from lvzhi.core import sections as module_sections
from lvzhi.core.workbooks import local as _local
from lvzhi.core.workbooks import write_rows
from lvzhi.members.choices import OrganisationKind
from lvzhi.proposals.choices import AssignmentRole, CoSignStatus, ReplyStatus, Satisfaction
from lvzhi.proposals.models import Assignment, CoSigner, Proposal, Reply
from lvzhi.reports.queries import (
    INACTIVE_ASSIGNMENT_STATUSES,
    MESSAGE_SUMMARY_FIELDS,
    OPINION_SUMMARY_FIELDS,
    ProposalStatistics,
    figures,
    ratio,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
DAYS = "0.0"
DATETIME = "yyyy-mm-dd hh:mm"
DATE = "yyyy-mm-dd"
BOLD = Font(bold=True)
PROPOSAL_LIST_HEADERS = ["案号", "案由", "提案者", "类别", "状态", "主办/会办单位", "答复类别", "测评结果", "提交时间",
                         "界别", "交办日期", "答复期限", "答复日期"]
PROPOSAL_LIST_WIDTHS = [12, 48, 24, 12, 14, 36, 16, 18, 18, 14, 12, 12, 24]
CHUNK_SIZE = 2000


# ---------------------------------------------------------------------------------------------- statistics


def _sheet(wb: Workbook, title: str, headers: list[str], rows: Iterable[list[Any]],
           percent_columns: Iterable[int] = (), widths: Iterable[int] = ()) -> Worksheet:
    ws = wb.create_sheet(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = BOLD
    percent_columns = set(percent_columns)
    for row in rows:
        ws.append(row)
        for col in percent_columns:
            ws.cell(row=ws.max_row, column=col).number_format = PERCENT
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    ws.freeze_panes = "A2"
    return ws


def statistics_workbook(stats: ProposalStatistics, *, opinions: dict[str, Any] | None = None,
                        messages: dict[str, Any] | None = None,
                        sections: Sequence[module_sections.Section] = ()) -> Workbook:
    """The statistics as a workbook: sheets 概况, 提案者类型, 提案类别, 不予立案理由, 承办单位, 答复类别, 满意度测评,
    then 社情民意 when ``opinions`` (:func:`lvzhi.opinions.queries.opinion_statistics`) and 群众意见 when
    ``messages`` (:func:`lvzhi.opinions.queries.message_statistics`) are given (see :func:`opinion_sheet`
    and :func:`message_sheet`).

    In 概况 each figure is one row (指标, 数值); ratios are numbers 0..1 formatted as percent, ``None`` (no
    denominator) an empty cell. Breakdown sheets have a 占比 column (share of the table's base, percent).
    """
    wb = Workbook()
    wb.remove(wb.active)
    scope = stats.scope
    summary = [["统计范围", scope.label()], ["统计口径", "按提交日期；收到提案不含草稿和撤回"],
               ["超期判断日期", scope.as_of.isoformat() if scope.as_of else ""]]
    ws = _sheet(wb, "概况", ["指标", "数值"], summary, widths=(30, 40))
    for _key, label, value, is_ratio in stats.summary():
        ws.append([label, value])
        if is_ratio:
            ws.cell(row=ws.max_row, column=2).number_format = PERCENT
    _sheet(wb, "提案者类型", ["提案者类型", "件数", "占比"],
           ([r.label, r.count, r.share] for r in stats.by_proposer_kind), [3], (16, 10, 10))
    _sheet(wb, "提案类别", ["类别", "收到", "立案", "占比"],
           ([r.label, r.received, r.filed, r.share] for r in stats.by_category), [4], (20, 10, 10, 10))
    _sheet(wb, "不予立案理由", ["理由", "件数", "占比"],
           ([r.label, r.count, r.share] for r in stats.not_filed_by_ground), [3], (44, 10, 10))
    _sheet(wb, "承办单位", ["承办单位", "交办件数", "主办（含单办）", "会办", "分办", "已答复", "超期未答复"],
           ([u.name, u.assignments, u.lead, u.co, u.separate, u.replied, u.overdue] for u in stats.by_unit),
           widths=(28, 10, 14, 8, 8, 10, 12))
    _sheet(wb, "答复类别", ["答复类别", "件数", "占比"],
           ([r.label, r.count, r.share] for r in stats.grades), [3], (30, 10, 10))
    ws = _sheet(wb, "满意度测评", ["测评结果", "件数", "占比"],
                ([r.label, r.count, r.share] for r in stats.satisfaction), [3], (26, 10, 10))
    ws.append(["首次测评满意率（满意+基本满意）", stats.first_satisfied, stats.first_time_satisfaction_rate])
    ws.cell(row=ws.max_row, column=3).number_format = PERCENT
    date_scope = stats.scope.dates_label()
    if opinions is not None:
        opinion_sheet(wb, opinions, date_scope)
    if messages is not None:
        message_sheet(wb, messages, date_scope)
    for section in sections:
        section_sheet(wb, section)
    return wb


def section_sheet(wb: Workbook, section: module_sections.Section) -> Worksheet:
    """One sheet for a module's 数读 (:mod:`lvzhi.core.sections`): its scope, the figures (指标, 数值), then each
    table under its caption."""
    ws = _sheet(wb, section.title[:31], ["指标", "数值"], [["统计范围", section.scope], *map(list, section.figures)],
                widths=(30, 20))
    for table in section.tables:
        ws.append([])
        _append(ws, [table.caption], bold=True)
        _append(ws, list(table.headers), bold=True)
        for row in table.rows:
            ws.append(list(row))
    return ws


def _append(ws: Worksheet, row: list[Any], formats: dict[int, str] | None = None, *, bold: bool = False) -> None:
    """Append ``row``; ``formats`` maps 1-based columns to number formats."""
    ws.append(row)
    for col, fmt in (formats or {}).items():
        ws.cell(row=ws.max_row, column=col).number_format = fmt
    if bold:
        for cell in ws[ws.max_row]:
            cell.font = BOLD


def _figure_rows(ws: Worksheet, data: dict[str, Any], fields: list[tuple[str, str, str]]) -> None:
    for _key, label, value, kind in figures(data, fields):
        _append(ws, [label, value], {2: PERCENT if kind == "ratio" else DAYS if kind == "days" else "General"})


def opinion_sheet(wb: Workbook, opinions: dict[str, Any], scope: str = "") -> Worksheet:
    """Sheet 社情民意 of ``opinions`` (the dict of :func:`lvzhi.opinions.queries.opinion_statistics`), as blocks
    separated by a blank row, each with a bold header row:

    1. 指标 / 数值: 统计范围, then :data:`~lvzhi.reports.queries.OPINION_SUMMARY_FIELDS` (采用率 a ratio 0..1
       formatted as percent, empty without submitted reports);
    2. 批示级别 / 批示件次 / 获批示信息（篇）: one row per level (区（县）级, 市级, 省级, 国家级);
    3. 报送者 / 类型 / 报送 / 采用 / 采用率 / 批示: every author, most reports first.
    """
    ws = _sheet(wb, "社情民意", ["指标", "数值"], [["统计范围", f"{scope}（按报送日期）".strip()]],
                widths=(30, 14, 10, 10, 10, 10))
    _figure_rows(ws, opinions, OPINION_SUMMARY_FIELDS)
    ws.append([])
    _append(ws, ["批示级别", "批示件次", "获批示信息（篇）"], bold=True)
    for level in opinions["instructed_by_level"].values():
        ws.append([level["label"], level["instructions"], level["reports"]])
    ws.append([])
    _append(ws, ["报送者", "类型", "报送", "采用", "采用率", "批示"], bold=True)
    for a in opinions["by_author"]:
        _append(ws, [a["name"], a["kind_label"], a["submitted"], a["adopted"], a["adoption_rate"], a["instructions"]],
                {5: PERCENT})
    return ws


def message_sheet(wb: Workbook, messages: dict[str, Any], scope: str = "") -> Worksheet:
    """Sheet 群众意见 of ``messages`` (the dict of :func:`lvzhi.opinions.queries.message_statistics`), as blocks
    separated by a blank row, each with a bold header row:

    1. 指标 / 数值: 统计范围, then :data:`~lvzhi.reports.queries.MESSAGE_SUMMARY_FIELDS` (rates 0..1 formatted as
       percent; answer-time median and 90th percentile in calendar days, formatted ``0.0``);
    2. 渠道 / 件数 / 占比 (share of received); 3. 测评结果 / 件数 / 占比 (share of rated);
    4. 分类 / 件数 (the top categories); 5. 答复单位 / 答复件数 (the top units).
    """
    ws = _sheet(wb, "群众意见", ["指标", "数值"], [["统计范围", f"{scope}（按提交日期）".strip()]],
                widths=(30, 14, 10))
    _figure_rows(ws, messages, MESSAGE_SUMMARY_FIELDS)
    blocks = [
        (["渠道", "件数", "占比"], [[v["label"], v["count"], ratio(v["count"], messages["received"])]
                                 for v in messages["by_channel"].values()]),
        (["测评结果", "件数", "占比"], [[v["label"], v["count"], ratio(v["count"], messages["rated"])]
                                   for v in messages["satisfaction"].values()]),
        (["分类", "件数"], [list(row) for row in messages["top_categories"]]),
        (["答复单位", "答复件数"], [list(row) for row in messages["top_units"]]),
    ]
    for header, rows in blocks:
        ws.append([])
        _append(ws, header, bold=True)
        for row in rows:
            _append(ws, row, {3: PERCENT} if len(header) == 3 else None)
    return ws


def write_statistics(stats: ProposalStatistics, target: str | IO[bytes], *, opinions: dict[str, Any] | None = None,
                     messages: dict[str, Any] | None = None, sections: Sequence[module_sections.Section] = ()) -> None:
    """Write :func:`statistics_workbook` (with the 社情民意 / 群众意见 sheets when ``opinions`` / ``messages``
    are given, and one sheet per module ``section``) to ``target`` (a path or a binary file object)."""
    statistics_workbook(stats, opinions=opinions, messages=messages, sections=sections).save(target)


# ---------------------------------------------------------------------------------------------- proposal list


def proposal_list_queryset(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """``qs`` with what one row of the list export needs, fetched per chunk in a fixed number of queries."""
    return qs.select_related("state", "category", "first_proposer__profile", "first_proposer__sector",
                             "organisation").prefetch_related(
        Prefetch("cosigners", queryset=CoSigner.objects.filter(status=CoSignStatus.CONFIRMED)
                 .select_related("member").order_by("id"), to_attr="confirmed_cosigners"),
        Prefetch("assignments", queryset=Assignment.objects.exclude(status__in=INACTIVE_ASSIGNMENT_STATUSES)
                 .select_related("unit").order_by("id"), to_attr="active_assignments"),
        Prefetch("active_assignments__replies", queryset=Reply.objects.filter(status=ReplyStatus.SENT)
                 .select_related("grade").order_by("round"), to_attr="sent_replies"),
        "active_assignments__sent_replies__evaluations",
    )  # type: ignore[misc]  # the stubs do not follow prefetches through to_attr


def proposal_row(p: Proposal) -> list[Any]:
    """The export columns of ``p`` (fetched through :func:`proposal_list_queryset`), in the order of
    :data:`PROPOSAL_LIST_HEADERS`. Grade and evaluation: the latest sent reply of each replying unit and the
    proposer's rating of it, prefixed by the unit's name when several units reply."""
    names = [p.proposer_name] + [c.member.name for c in p.confirmed_cosigners]  # type: ignore[attr-defined]
    assignments = p.active_assignments  # type: ignore[attr-defined]
    units = "；".join(f"{a.unit.name}（{AssignmentRole(a.role).label}）" for a in assignments)
    proposer_ids = p.proposer_user_ids()
    grades, verdicts = [], []
    replying = [a for a in assignments if a.sent_replies]
    for a in replying:
        prefix = f"{a.unit.name}：" if len(replying) > 1 else ""
        latest = a.sent_replies[-1]
        grades.append(f"{prefix}{latest.grade.code}类")
        rated = [(r.round, e.overall) for r in a.sent_replies for e in r.evaluations.all()
                 if e.evaluator_id in proposer_ids]
        if rated:
            verdicts.append(prefix + str(Satisfaction(max(rated)[1]).label))
    # 界别: the first proposer's sector, or the sector that proposed as a body
    sector = p.first_proposer.sector if p.first_proposer_id and p.first_proposer.sector_id else None  # type: ignore[union-attr]
    if sector is None and p.organisation_id and p.organisation.kind == OrganisationKind.SECTOR:  # type: ignore[union-attr]
        sector = p.organisation
    assigned = min((timezone.localdate(a.assigned_at) for a in assignments), default=None)
    deadline = min((a.deadline for a in assignments), default=None)  # the first reply due
    replied = []
    for a in replying:
        day = timezone.localdate(a.sent_replies[-1].sent_at) if a.sent_replies[-1].sent_at else None
        if day is not None:
            replied.append((f"{a.unit.name}：" if len(replying) > 1 else "") + day.isoformat())
    return [p.number, p.title, "、".join(n for n in names if n), p.category.name if p.category else "",
            p.state.name, units, "；".join(grades), "；".join(verdicts), _local(p.submitted_at),
            sector.name if sector is not None else "", assigned, deadline, "；".join(replied)]


def write_proposal_list(qs: QuerySet[Proposal], target: str | IO[bytes], *, chunk_size: int = CHUNK_SIZE,
                        progress: Callable[[int], None] | None = None) -> int:
    """Write the proposals of ``qs`` (in its order) to ``target`` as a write-only workbook (sheet 提案清单,
    :func:`lvzhi.core.workbooks.write_rows`); returns the number of rows written. ``progress(done)`` is called
    after every ``chunk_size`` rows and at the end."""
    rows = (proposal_row(p) for p in proposal_list_queryset(qs).iterator(chunk_size=chunk_size))
    return write_rows(target, "提案清单", PROPOSAL_LIST_HEADERS, rows, widths=PROPOSAL_LIST_WIDTHS, progress=progress,
                      every=chunk_size)
