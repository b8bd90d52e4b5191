"""Reading the handling core across every registered case type: the handling of one case (for its page),
the inbox (待办) and the deadlines for reminders. Reads only; the pages, the API and ``lvzhi remind`` use
these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, QuerySet
from django.utils import timezone

from lvzhi.cases import people, registry
from lvzhi.cases.choices import (
    REPLYING_ROLES,
    AssignmentRole,
    AssignmentStatus,
    InstructionStatus,
    ReplyStatus,
)
from lvzhi.cases.models import (
    Assignment,
    Evaluation,
    Instruction,
    KeyGroup,
    KeyGroupCase,
    KeyGroupNote,
    Reply,
)
from lvzhi.cases.policy import policy_for
from lvzhi.core.inbox import AT_RISK, NORMAL, OVERDUE, urgency_of
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.members.models import Council

_RANK = {OVERDUE: 0, AT_RISK: 1, NORMAL: 2}


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for a user: ``what`` (a short Chinese label) to do about a case of ``case_type``
    by ``deadline``; ``urgency`` orders the inbox (overdue, at risk, the rest). ``ref`` is the id of the
    assignment, reply, instruction or key group concerned (``None`` for the case itself)."""

    case_type: str
    case_id: int
    what: str
    title: str
    number: str
    deadline: date | None
    urgency: str
    url: str
    ref: int | None = None

    @property
    def sort_key(self) -> tuple[int, date, str]:
        return (_RANK[self.urgency], self.deadline or date.max, self.title)


# ---------------------------------------------------------------------------------------------- one case


def assignments_of(case: Any) -> QuerySet[Assignment]:
    """The assignments of ``case`` (every round and status), oldest first, with their units."""
    return Assignment.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk) \
        .select_related("unit").order_by("id")


def co_handling_opinions(assignment: Assignment) -> list[dict[str, Any]]:
    """What the lead unit's clerk sees while drafting: each co-handling unit of the same case, its status
    and opinion (empty while it is still handling) and its deadline."""
    if assignment.role != AssignmentRole.LEAD:
        return []
    rows = Assignment.objects.filter(content_type_id=assignment.content_type_id, object_id=assignment.object_id,
                                     role=AssignmentRole.CO).exclude(
        status__in=[AssignmentStatus.SENT_BACK, AssignmentStatus.WITHDRAWN]).select_related("unit").order_by("id")
    return [{"assignment_id": a.pk, "unit": a.unit.name, "status": a.status, "opinion": a.opinion,
             "sent_at": a.opinion_sent_at, "deadline": a.deadline} for a in rows]


def reply_letter(reply: Reply) -> dict[str, Any]:
    """The reply letter as the unit leader previews it before signing off: addressees (each joint
    deputy or the leading one, after the policy), the unit, grade, text, contact, the co-handling units'
    opinions it must mention, and the talks held with the submitter."""
    assignment = reply.assignment
    case: Any = assignment.case
    pol = policy_for(case.council_id, assignment.case_type)
    addressees = [people.display_name(u) for u in people.users(case.evaluator_ids(pol.joint_reply_mode))]
    return {"number": case.number, "title": case.title, "addressees": addressees, "unit": assignment.unit.name,
            "grade": {"code": reply.grade.code, "label": reply.grade.label}, "text": reply.text,
            "contact_person": reply.contact_person, "contact_phone": reply.contact_phone, "round": reply.round,
            "kind": reply.kind, "co_opinions": co_handling_opinions(assignment),
            "contacts": [{"on": c.contacted_on, "way": c.get_way_display(), "with": c.with_whom, "notes": c.notes}
                         for c in assignment.contacts.all()]}


# ---------------------------------------------------------------------------------------------- inbox


def inbox_items(user: Any, *, today: date | None = None) -> list[InboxItem]:
    """What waits for ``user`` in the handling core across every registered case type, overdue first, then
    at risk, then the rest (each group by deadline):

    - staff: cases in a state that may be assigned (待交办, deadline: the state's), cases whose assignment was
      sent back and that no active assignment replaces (重新交办), cases whose evaluation window has passed
      or that were evaluated and may be closed (办结);
    - unit clerk: its unit's assignments in handling (答复 / 会办意见, deadline: the assignment's), replies
      the leader sent back (修改答复); unit leader: replies awaiting sign-off (签发) and the clerk's items;
    - evaluators (deputies, proposers): signed replies awaiting their opinion form (反馈意见, deadline: the
      window's end);
    - leaders: key groups they lead, until a progress note after the last change (督办), and their
      instructions not yet implemented (批示落实).
    """
    today = today or timezone.localdate()
    if profile_of(user) is None:
        return []
    risk: dict[int, int] = dict(Council.objects.values_list("pk", "at_risk_working_days"))
    items: dict[tuple[str, int, str, int | None], InboxItem] = {}

    def add(case: Any, what: str, deadline: date | None, ref: int | None = None) -> None:
        key = registry.for_model(case).key
        items.setdefault((key, case.pk, what, ref), InboxItem(
            case_type=key, case_id=case.pk, what=what, title=case.title, number=case.number, deadline=deadline,
            urgency=urgency_of(deadline, today, risk.get(case.council_id, 5)),
            url=registry.get(key).url(case.pk), ref=ref))

    units = people.unit_roles(user)
    for case_type in registry.all():
        visible = case_type.visible(user)
        _staff_items(user, case_type, visible, add, today)
        if units:
            _unit_items(units, case_type, visible, add)
        _evaluator_items(user, case_type, visible, add)
        _leader_items(user, case_type, visible, add)
    return sorted(items.values(), key=lambda i: i.sort_key)


def _staff_items(user: Any, case_type: registry.CaseType, visible: QuerySet[Any], add: Callable[..., None],
                 today: date) -> None:
    councils = [c for c in set(visible.values_list("council_id", flat=True)) if is_council_staff(user, c)]
    if not councils:
        return
    mine = visible.filter(council_id__in=councils).select_related("state")
    for case in mine.filter(state__assignable=True):
        add(case, "待交办", case.state_deadline)
    ct = ContentType.objects.get_for_model(case_type.model)
    sent_back = Assignment.objects.filter(content_type=ct, council_id__in=councils, status=AssignmentStatus.SENT_BACK)
    for a in sent_back:
        active = Assignment.objects.filter(content_type=ct, object_id=a.object_id).exclude(
            status__in=[AssignmentStatus.SENT_BACK, AssignmentStatus.WITHDRAWN])
        if not active.filter(role__in=REPLYING_ROLES).exists():
            case = mine.filter(pk=a.object_id, state__units_may_reply=True).first()
            if case is not None:
                add(case, "重新交办", a.sendback_deadline, a.pk)
    closable = mine.filter(workflow__transitions__source_id=F("state_id"),
                           workflow__transitions__act="close").distinct()
    for case in closable:
        if case.state.proposer_may_rate and case.state_deadline and case.state_deadline >= today:
            continue
        add(case, "待办结", case.state_deadline)


def _unit_items(units: dict[int, str], case_type: registry.CaseType, visible: QuerySet[Any],
                add: Callable[..., None]) -> None:
    ct = ContentType.objects.get_for_model(case_type.model)
    cases = {c.pk: c for c in visible.select_related("state")}
    handling = Assignment.objects.filter(content_type=ct, unit_id__in=list(units), status=AssignmentStatus.HANDLING,
                                         object_id__in=list(cases))
    replies = Reply.objects.filter(assignment__content_type=ct, assignment__unit_id__in=list(units),
                                   assignment__object_id__in=list(cases)).select_related("assignment")
    # an answer waiting for the leader, or sent back to the clerk, shows as that item instead of "答复"
    waiting = {r.assignment_id for r in replies.filter(kind="answer", status__in=[
        ReplyStatus.PENDING_SIGNOFF, ReplyStatus.RETURNED]) if r.round == r.assignment.round}
    for a in handling:
        case = cases[a.object_id]
        if a.role == AssignmentRole.CO:
            add(case, "会办意见", a.deadline, a.pk)
        elif case.state.units_may_reply and a.pk not in waiting:
            add(case, "答复", a.deadline, a.pk)
    for r in replies.filter(status=ReplyStatus.RETURNED):
        add(cases[r.assignment.object_id], "修改答复", r.assignment.deadline, r.pk)
    leader_units = [u for u, role in units.items() if role == "unit_leader"]
    for r in replies.filter(status=ReplyStatus.PENDING_SIGNOFF, assignment__unit_id__in=leader_units):
        add(cases[r.assignment.object_id], "签发答复", r.assignment.deadline, r.pk)


def _evaluator_items(user: Any, case_type: registry.CaseType, visible: QuerySet[Any],
                     add: Callable[..., None]) -> None:
    ct = ContentType.objects.get_for_model(case_type.model)
    rating = {c.pk: c for c in visible.filter(state__proposer_may_rate=True)}
    if not rating:
        return
    done = set(Evaluation.objects.filter(evaluator=user).values_list("reply_id", flat=True))
    replies = Reply.objects.filter(assignment__content_type=ct, assignment__object_id__in=list(rating),
                                   status=ReplyStatus.SIGNED, kind="answer",
                                   assignment__status=AssignmentStatus.REPLIED).select_related("assignment")
    modes: dict[int, str] = {}
    for r in replies:
        if r.round != r.assignment.round or r.pk in done:
            continue
        case = rating[r.assignment.object_id]
        if case.council_id not in modes:
            modes[case.council_id] = policy_for(case.council_id, case_type.key).joint_reply_mode
        if user.pk in case.evaluator_ids(modes[case.council_id]):
            add(case, "反馈意见", case.state_deadline, r.pk)


def _leader_items(user: Any, case_type: registry.CaseType, visible: QuerySet[Any], add: Callable[..., None]) -> None:
    ct = ContentType.objects.get_for_model(case_type.model)
    groups = KeyGroup.objects.filter(case_type=case_type.key, leading_leader=user)
    for group in groups:
        last_note = KeyGroupNote.objects.filter(group=group, author=user).order_by("-created_at").first()
        for link in KeyGroupCase.objects.filter(group=group):
            case = visible.filter(pk=link.object_id, state__is_terminal=False).first()
            if case is None:
                continue
            if last_note is None or last_note.created_at < case_changed_at(case):
                add(case, "督办", None, group.pk)
    for ins in Instruction.objects.filter(content_type=ct, leader=user).exclude(status=InstructionStatus.DONE):
        case = visible.filter(pk=ins.object_id).first()
        if case is not None and is_council_leader(user, case.council_id):
            add(case, "批示落实", None, ins.pk)


def case_changed_at(case: Any) -> Any:
    """When ``case`` last changed (its latest audit entry)."""
    from lvzhi.core.audit import timeline

    last = timeline(case).order_by("-created_at", "-id").first()
    return last.created_at if last else case.state_entered_at


# ---------------------------------------------------------------------------------------------- reminders


@dataclass(frozen=True)
class Deadline:
    """A deadline of any case type for ``lvzhi remind``: who (``user_ids``) must do ``what`` by ``deadline``."""

    case_type: str
    case_id: int
    what: str
    deadline: date
    user_ids: tuple[int, ...]
    url: str
    title: str
    council_id: int = 0
    number: str = ""


def deadlines(*, until: date) -> list[Deadline]:
    """Every open deadline on or before ``until`` across every registered case type: units' replies and
    co-handling opinions (their unit's accounts), send-back windows are not reminded; evaluation windows
    (the evaluators who have not answered). Ordered by date."""
    out: list[Deadline] = []
    for case_type in registry.all():
        model = case_type.model
        ct = ContentType.objects.get_for_model(model)
        open_assignments = Assignment.objects.filter(content_type=ct, status=AssignmentStatus.HANDLING,
                                                     deadline__lte=until).select_related("unit")
        for a in open_assignments:
            found: Any = model._default_manager.filter(pk=a.object_id).first()
            if found is None:
                continue
            users = tuple(u.pk for u in people.unit_users([a.unit_id]))
            what = "会办意见" if a.role == AssignmentRole.CO else "答复"
            out.append(Deadline(case_type.key, found.pk, what, a.deadline, users, case_type.url(found.pk),
                                found.title, found.council_id, found.number))
        rating: QuerySet[Any] = model._default_manager.filter(state__proposer_may_rate=True,
                                                              state_deadline__lte=until)
        for case in rating:
            pol = policy_for(case.council_id, case_type.key)
            done = set(Evaluation.objects.filter(reply__assignment__content_type=ct,
                                                 reply__assignment__object_id=case.pk).values_list("evaluator_id",
                                                                                                  flat=True))
            users = tuple(i for i in case.evaluator_ids(pol.joint_reply_mode) if i not in done)
            if users:
                out.append(Deadline(case_type.key, case.pk, "反馈意见", case.state_deadline, users,
                                    case_type.url(case.pk), case.title, case.council_id, case.number))
    return sorted(out, key=lambda d: (d.deadline, d.case_type, d.case_id))
