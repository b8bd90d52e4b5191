"""Excel exports of the report (社情民意信息) and message (群众意见) lists: exactly the rows the list page shows
with its filters, for whoever may see them; drafts of reports only when asked. Citizens' names and contact
details are not exported (personal data stays in the system)."""

from __future__ import annotations

from typing import IO, Any

from django.db.models import QuerySet

from lvzhi.core.workbooks import XLSX_CONTENT_TYPE, write_rows
from lvzhi.core.workbooks import local as _local
from lvzhi.opinions.models import Message, Report

__all__ = ["MESSAGE_HEADERS", "REPORT_HEADERS", "XLSX_CONTENT_TYPE", "message_row", "report_row", "write_messages",
           "write_reports"]

REPORT_HEADERS = ["标题", "报送者", "报送者类型", "状态", "报送时间", "采用时间", "刊发时间", "刊物期号"]
REPORT_WIDTHS = [48, 20, 12, 12, 18, 18, 18, 10]
MESSAGE_HEADERS = ["标题", "渠道", "分类", "地点", "状态", "承办单位", "收到时间", "转办时间", "办理期限", "答复时间",
                   "答复单位", "群众评价", "评价说明"]
MESSAGE_WIDTHS = [40, 10, 14, 20, 12, 24, 18, 18, 12, 18, 24, 10, 40]


def report_row(r: Report) -> list[Any]:
    """One report's cells in the order of :data:`REPORT_HEADERS`."""
    return [r.title, r.submitter_name, r.get_submitter_kind_display(), r.state.name, _local(r.submitted_at),
            _local(r.adopted_at), _local(r.published_at), r.issue.number if r.issue_id else None]  # type: ignore[union-attr]


def message_row(m: Message) -> list[Any]:
    """One message's cells in the order of :data:`MESSAGE_HEADERS`."""
    return [m.title, m.get_channel_display(), m.category, m.place, m.state.name, m.unit.name if m.unit_id else "",  # type: ignore[union-attr]
            _local(m.submitted_at), _local(m.routed_at), m.deadline, _local(m.replied_at),
            m.reply_unit.name if m.reply_unit_id else m.reply_unit_name,  # type: ignore[union-attr]
            m.get_rating_display() if m.rating else "", m.rating_comment]


def write_reports(qs: QuerySet[Report], target: str | IO[bytes]) -> int:
    """Write the reports of ``qs`` (in its order) as the sheet 社情民意信息; returns the rows written."""
    return write_rows(target, "社情民意信息", REPORT_HEADERS, (report_row(r) for r in qs.select_related(
        "state", "member", "organisation", "informant__member", "issue").iterator(chunk_size=2000)),
                      widths=REPORT_WIDTHS)


def write_messages(qs: QuerySet[Message], target: str | IO[bytes]) -> int:
    """Write the messages of ``qs`` (in its order) as the sheet 群众意见; returns the rows written."""
    return write_rows(target, "群众意见", MESSAGE_HEADERS, (message_row(m) for m in qs.select_related(
        "state", "unit", "reply_unit").iterator(chunk_size=2000)),
                      widths=MESSAGE_WIDTHS)
