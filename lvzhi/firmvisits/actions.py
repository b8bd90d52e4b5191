"""Writers of firm visits: permission (:class:`ForbiddenError`), validation naming the field
(:class:`DomainError`, nothing written), a transaction and an audit entry each.

An issue: ``open`` (办理中) → the unit answers (``answered``) → staff confirm it solved (``solved``) or send it
back (``open``, counted in ``returned``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases import people
from lvzhi.core import audit
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.firmvisits.access import may_record
from lvzhi.firmvisits.models import FirmIssue, FirmVisit, IssueScope, IssueStatus
from lvzhi.members.models import Council, HandlingUnit, Member


def _text(value: str | None, field: str, label: str, *, required: bool = False, max_length: int = 200) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length} 个字（现有 {len(text)} 个）。", field=field)
    return text


@transaction.atomic
def record_visit(actor: Any, council: Council, *, firm: str, leader: str, day: date, member: Member | None = None,
                 notes: str = "", issues: Sequence[dict[str, Any]] = ()) -> FirmVisit:
    """A visit (staff or leader of ``council``), with its ``issues`` (each ``{"text", "scope", "unit", "due"}``)
    routed at once; any bad issue refuses the whole visit."""
    if not may_record(actor, council.pk):
        raise ForbiddenError("只有本机构的领导或工作人员可以记录走访企业。")
    if member is not None and member.council_id != council.pk:
        raise DomainError(f"{member.name} 不是本机构的委员或代表。", field="member")
    visit = FirmVisit.objects.create(council=council, member=member, day=day, created_by=actor,
                                     firm=_text(firm, "firm", "企业名称", required=True),
                                     leader=_text(leader, "leader", "带队领导", required=True, max_length=100),
                                     notes=_text(notes, "notes", "走访情况", max_length=20000))
    audit.record(visit, "firm_visited", actor=actor, council_id=council.pk, new={"firm": visit.firm, "day": day})
    for i, issue in enumerate(issues, start=1):
        add_issue(actor, visit, position=i, **issue)
    return visit


@transaction.atomic
def add_issue(actor: Any, visit: FirmVisit, *, text: str, scope: str, unit: HandlingUnit, due: date,
              position: int | None = None) -> FirmIssue:
    """An issue the firm raised, classified ``scope`` (common / individual) and routed to ``unit`` to handle by
    ``due``; the unit's accounts are told."""
    if not may_record(actor, visit.council_id):
        raise ForbiddenError("只有本机构的领导或工作人员可以交办企业问题。")
    where = f"第 {position} 个问题：" if position else ""
    if scope not in IssueScope.values:
        raise DomainError(f"{where}请选择问题类别：共性问题或个性问题。", field="scope")
    if unit.council_id != visit.council_id:
        raise DomainError(f"{where}承办单位须为本机构的承办单位。", field="unit")
    if due < visit.day:
        raise DomainError(f"{where}办理期限不能早于走访日期。", field="due")
    issue = FirmIssue.objects.create(visit=visit, scope=scope, unit=unit, due=due,
                                     text=_text(text, "text", f"{where}问题", required=True, max_length=5000))
    audit.record(issue, "firm_issue_routed", actor=actor, council_id=visit.council_id,
                 new={"scope": scope, "unit": unit.name, "due": due})
    audit.notify(people.unit_users([unit.pk]), "firm_issue", f"{visit.firm}反映问题，请于 {due:%Y-%m-%d} 前办理：{issue.text[:60]}",
                 url=f"/firm-visits/{visit.pk}/")
    return issue


def _issue(issue_id: int) -> FirmIssue:
    issue = FirmIssue.objects.select_for_update().select_related("visit").filter(pk=issue_id).first()
    if issue is None:
        raise DomainError("问题不存在。", field="issue")
    return issue


@transaction.atomic
def answer_issue(actor: Any, issue_id: int, *, text: str) -> FirmIssue:
    """The unit answers how it handled the issue (its clerk or leader; only while open)."""
    issue = _issue(issue_id)
    if issue.unit_id not in people.unit_roles(actor):
        raise ForbiddenError("只有承办单位可以答复该问题。")
    if issue.status != IssueStatus.OPEN:
        raise ConflictError("该问题已经答复。")
    issue.answer = _text(text, "text", "办理情况", required=True, max_length=5000)
    issue.status, issue.answered_at = IssueStatus.ANSWERED, timezone.now()
    issue.save(update_fields=["answer", "status", "answered_at"])
    audit.record(issue, "firm_issue_answered", actor=actor, council_id=issue.visit.council_id)
    return issue


@transaction.atomic
def confirm_issue(actor: Any, issue_id: int, *, solved: bool, comment: str = "") -> FirmIssue:
    """Staff or leader confirm the answered issue solved, or send it back to the unit with ``comment``."""
    issue = _issue(issue_id)
    if not may_record(actor, issue.visit.council_id):
        raise ForbiddenError("只有本机构的领导或工作人员可以确认办理结果。")
    if issue.status != IssueStatus.ANSWERED:
        raise DomainError("承办单位尚未答复该问题。", field="status")
    if solved:
        issue.status, issue.solved_at = IssueStatus.SOLVED, timezone.now()
    else:
        comment = _text(comment, "comment", "退回意见", required=True, max_length=2000)
        issue.status, issue.returned = IssueStatus.OPEN, issue.returned + 1
    issue.save(update_fields=["status", "solved_at", "returned"])
    audit.record(issue, "firm_issue_solved" if solved else "firm_issue_returned", actor=actor,
                 council_id=issue.visit.council_id, comment=comment)
    if not solved:
        audit.notify(people.unit_users([issue.unit_id]), "firm_issue", f"企业问题办理情况被退回：{comment[:60]}",
                     url=f"/firm-visits/{issue.visit_id}/")
    return issue
