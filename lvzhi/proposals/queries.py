"""Reads for pages, exports and reports about proposals (no writes here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.calendar import working_days_between
from lvzhi.core.search import Hit, case_hits, query_filter
from lvzhi.members.access import profile_of
from lvzhi.members.choices import Role
from lvzhi.members.models import Council
from lvzhi.proposals.access import visible_proposals
from lvzhi.proposals.choices import AssignmentRole, AssignmentStatus, CoSignStatus, ReplyStatus
from lvzhi.proposals.models import Assignment, CoSigner, Evaluation, Proposal, Reply
from lvzhi.workflow.engine import act_allowed, available_transitions, states_leaving_by

FILTER_PARAMS = ("q", "council", "term", "session", "state", "category", "unit", "proposer", "key", "overdue",
                 "kind", "plenary")


def filter_proposals(qs: QuerySet[Proposal], params: Mapping[str, Any]) -> QuerySet[Proposal]:
    """Apply the list filters in ``params`` (query-string values) to ``qs``.

    Keys: ``q`` (Chinese full-text, jieba), ``council``, ``term``, ``session``, ``category``, ``unit`` (ids),
    ``state`` (state code), ``proposer`` (name contains, member or organisation), ``kind`` (proposer kind),
    ``key`` (``1``: key proposals only), ``overdue`` (``1``: an assignment past its reply deadline and not
    replied), ``plenary`` (``1`` plenary / ``0`` ordinary). Unknown or blank values are ignored; ids that are
    not integers match nothing.
    """

    def ident(name: str) -> int | None:
        value = str(params.get(name) or "").strip()
        if not value:
            return None
        return int(value) if value.isdigit() else -1

    if params.get("q"):
        qs = qs.filter(query_filter(str(params["q"])))
    for name, field in (("council", "council_id"), ("session", "session_id"), ("category", "category_id"),
                        ("term", "session__term_id")):
        value = ident(name)
        if value is not None:
            qs = qs.filter(**{field: value})
    if params.get("state"):
        qs = qs.filter(state__code=str(params["state"]))
    if params.get("kind"):
        qs = qs.filter(proposer_kind=str(params["kind"]))
    unit = ident("unit")
    if unit is not None:
        qs = qs.filter(Exists(Assignment.objects.filter(proposal=OuterRef("pk"), unit_id=unit)
                              .exclude(status=AssignmentStatus.WITHDRAWN)))
    if params.get("proposer"):
        name = str(params["proposer"]).strip()
        qs = qs.filter(first_proposer__name__contains=name) | qs.filter(organisation__name__contains=name)
    if str(params.get("key") or "") == "1":
        qs = qs.filter(is_key=True)
    if str(params.get("plenary") or "") in ("0", "1"):
        qs = qs.filter(is_plenary=params["plenary"] == "1")
    if str(params.get("overdue") or "") == "1":
        qs = qs.filter(Exists(Assignment.objects.filter(
            proposal=OuterRef("pk"), status=AssignmentStatus.HANDLING, deadline__lt=timezone.localdate())))
    return qs


# ---------------------------------------------------------------------------------------------- list page


def list_proposals(user: Any, params: Mapping[str, Any]) -> QuerySet[Proposal]:
    """The proposals ``user`` may see, filtered by ``params`` (see :func:`filter_proposals`), ready for the
    list page: state, category, proposer and session joined, the non-withdrawn assignments with their units
    prefetched (``active_assignments``), the earliest open reply deadline annotated (``open_deadline``, a
    date or ``None``) and the count of confirmed co-signers (``cosigner_count``). The number of queries does
    not grow with the number of rows. Ordered newest submission first.
    """
    open_deadline = (Assignment.objects.filter(proposal=OuterRef("pk"), status=AssignmentStatus.HANDLING)
                     .order_by("deadline").values("deadline")[:1])
    cosigners = (CoSigner.objects.filter(proposal=OuterRef("pk"), status=CoSignStatus.CONFIRMED)
                 .values("proposal").annotate(n=Count("pk")).values("n"))
    return (filter_proposals(visible_proposals(user), params)
            .select_related("state", "category", "first_proposer", "organisation", "session__term")
            .prefetch_related(Prefetch("assignments", to_attr="active_assignments",
                                       queryset=Assignment.objects.exclude(status=AssignmentStatus.WITHDRAWN)
                                       .select_related("unit").order_by("id")))
            .annotate(open_deadline=Subquery(open_deadline),
                      cosigner_count=Coalesce(Subquery(cosigners, output_field=IntegerField()), 0))
            .order_by(F("submitted_at").desc(nulls_first=True), "-id"))


# ---------------------------------------------------------------------------------------------- inbox

OVERDUE, AT_RISK, NORMAL = "overdue", "at_risk", "normal"
_URGENCY_RANK = {OVERDUE: 0, AT_RISK: 1, NORMAL: 2}


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for a user: ``what`` to do about ``proposal``, by ``deadline`` (a date or ``None``).

    ``urgency`` is ``overdue`` (deadline before today), ``at_risk`` (deadline within the council's
    ``at_risk_working_days`` working days, statutory calendar) or ``normal``.
    """

    what: str
    proposal_id: int
    title: str
    number: str
    deadline: date | None
    urgency: str
    url: str

    @property
    def sort_key(self) -> tuple[int, date, str]:
        return (_URGENCY_RANK[self.urgency], self.deadline or date.max, self.title)


def urgency_of(deadline: date | None, today: date, at_risk_working_days: int) -> str:
    """``overdue`` when ``deadline`` < ``today``; ``at_risk`` when it falls within ``at_risk_working_days``
    working days after ``today`` (today itself counts as at risk); ``normal`` otherwise or without one."""
    if deadline is None:
        return NORMAL
    if deadline < today:
        return OVERDUE
    if working_days_between(today, deadline) <= at_risk_working_days:
        return AT_RISK
    return NORMAL


def inbox_items(user: Any, *, today: date | None = None) -> list[InboxItem]:
    """What waits for ``user``, overdue first, then at risk, then the rest (each group by deadline).

    - member: own drafts and returned proposals, pending co-sign invitations (deadline: the invitation's
      expiry), sent replies awaiting their rating (deadline: the rating window's end);
    - staff/admin: submitted proposals to review, filed ones to assign, cases whose latest assignment was
      sent back (申退) to reassign, replied cases whose rating window passed and evaluated ones (to close),
      open key proposals;
    - unit clerk: their unit's assignments in handling (reply or co-handling opinion, with deadlines);
      unit leader: replies pending sign-off plus the clerk's items;
    - leader: key proposals they supervise (matched by name; all key proposals without a name) and
      cases with an overdue assignment.
    """

    profile = profile_of(user)
    if profile is None:
        return []
    today = today or timezone.localdate()
    risk_days: dict[int, int] = dict(Council.objects.values_list("pk", "at_risk_working_days"))
    items: dict[tuple[int, str], InboxItem] = {}

    def add(proposal: Proposal, what: str, deadline: date | None) -> None:
        urgency = urgency_of(deadline, today, risk_days.get(proposal.council_id, 5))
        items.setdefault((proposal.pk, what), InboxItem(
            what=what, proposal_id=proposal.pk, title=proposal.title, number=proposal.number,
            deadline=deadline, urgency=urgency, url=reverse("proposal-detail", args=[proposal.pk])))

    if profile.role == Role.MEMBER:
        _member_items(user, profile, add, today)
    if profile.role in (Role.STAFF, Role.ADMIN):
        _staff_items(profile, add, today)
    if profile.role in (Role.UNIT_CLERK, Role.UNIT_LEADER) and profile.unit_id:
        _unit_items(profile, add)
    if profile.role == Role.LEADER:
        _leader_items(profile, add, today)
    return sorted(items.values(), key=lambda i: i.sort_key)


def _member_items(user: Any, profile: Any, add: Any, today: date) -> None:
    own = Q(created_by_id=user.pk) & Q(first_proposer__isnull=True)
    if profile.member_id:
        own |= Q(first_proposer_id=profile.member_id)
    base = Proposal.objects.select_related("state")
    for p in base.filter(own, state__submitter_may_edit=True):
        add(p, _("草稿待提交") if p.state.is_draft else _("退回修改，待重新提交"), None)
    if profile.member_id:
        for c in (CoSigner.objects.filter(member_id=profile.member_id, status=CoSignStatus.PENDING,
                                          proposal__state__submitter_may_edit=True, expires_at__gte=today)
                  .select_related("proposal")):
            add(c.proposal, _("联名邀请待确认"), c.expires_at)
    # Replies awaiting this user's rating: on their own proposals or on those their proposals merged into.
    mine = Proposal.objects.filter(own)
    rateable = base.filter(Q(pk__in=mine.values("pk")) | Q(pk__in=mine.values("merged_into_id")),
                           state__proposer_may_rate=True)
    rated = Evaluation.objects.filter(reply=OuterRef("pk"), evaluator_id=user.pk)
    waiting = (Reply.objects.filter(assignment__proposal__in=rateable, status=ReplyStatus.SENT,
                                    round=F("assignment__round"))
               .exclude(Exists(rated)).select_related("assignment__proposal__state"))
    for r in waiting:
        p = r.assignment.proposal
        if p.state_deadline is None or p.state_deadline >= today:
            add(p, _("答复待测评"), p.state_deadline)


def _staff_items(profile: Any, add: Any, today: date) -> None:
    council = Q() if profile.council_id is None else Q(council_id=profile.council_id)
    base = Proposal.objects.filter(council).select_related("state")
    for p in base.filter(state__in=states_leaving_by("file")):
        add(p, _("待审查（立案）"), p.state_deadline)
    for p in base.filter(state__assignable=True):
        add(p, _("已立案待交办"), p.state_deadline)
    later = Assignment.objects.filter(proposal=OuterRef("proposal"), assigned_at__gt=OuterRef("assigned_at"))
    for a in (Assignment.objects.filter(status=AssignmentStatus.SENT_BACK,
                                        proposal__state__act_permissions__act="reassign")
              .filter(proposal__in=base).exclude(Exists(later)).select_related("proposal", "unit")):
        add(a.proposal, _("单位申退，待重新交办"), None)
    closable = states_leaving_by("close")
    for p in base.filter(state__in=closable, state__proposer_may_rate=True, state_deadline__lt=today):
        add(p, _("测评期满，待办结"), p.state_deadline)
    for p in base.filter(state__in=closable, state__proposer_may_rate=False):
        add(p, _("已测评，待办结"), None)
    for p in _open_key(base):
        add(p, _("重点提案督办"), p.open_deadline)  # type: ignore[attr-defined]


def _open_key(base: QuerySet[Proposal]) -> QuerySet[Proposal]:
    open_deadline = (Assignment.objects.filter(proposal=OuterRef("pk"), status=AssignmentStatus.HANDLING)
                     .order_by("deadline").values("deadline")[:1])
    return (base.filter(is_key=True, state__is_terminal=False, state__is_closed=False)
            .annotate(open_deadline=Subquery(open_deadline)))


def _unit_items(profile: Any, add: Any) -> None:

    handling = (Assignment.objects.filter(unit_id=profile.unit_id, status=AssignmentStatus.HANDLING,
                                          proposal__state__units_may_reply=True)
                .select_related("proposal"))
    pending = {r.assignment_id: r for r in Reply.objects.filter(
        assignment__in=handling, round=F("assignment__round"), status=ReplyStatus.PENDING_SIGNOFF)}
    for a in handling:
        if a.role == AssignmentRole.CO:
            add(a.proposal, _("会办意见待提交"), a.deadline)
        elif a.pk in pending:
            if profile.role == Role.UNIT_LEADER:
                add(a.proposal, _("答复待签发"), a.deadline)
            else:
                add(a.proposal, _("答复已送负责人签发"), a.deadline)
        else:
            add(a.proposal, _("办理答复"), a.deadline)


def _leader_items(profile: Any, add: Any, today: date) -> None:
    base = Proposal.objects.filter(council_id=profile.council_id).select_related("state")
    key = _open_key(base)
    if profile.display_name:
        mine = key.filter(supervising_leader__contains=profile.display_name)
        key = mine if mine.exists() else key
    for p in key:
        add(p, _("督办重点提案"), p.open_deadline)  # type: ignore[attr-defined]
    for a in (Assignment.objects.filter(proposal__in=base, status=AssignmentStatus.HANDLING,
                                        deadline__lt=today, proposal__state__units_may_reply=True)
              .select_related("proposal", "unit").order_by("deadline")):
        add(a.proposal, _("超期未答复：%(unit)s") % {"unit": a.unit.name}, a.deadline)


# ---------------------------------------------------------------------------------------------- case page


@dataclass(frozen=True)
class StepRef:
    """A step ``name`` (see ``lvzhi.proposals.views.STEPS``) the user may take now, about ``target`` (an
    assignment or reply id for per-unit steps, else ``None``); ``label`` says on what (e.g. the unit)."""

    name: str
    target: int | None = None
    label: str = ""

    @property
    def key(self) -> str:
        return self.name if self.target is None else f"{self.name}-{self.target}"


def available_steps(user: Any, proposal: Proposal, *, roles: set[str] | None = None,
                    today: date | None = None) -> list[StepRef]:
    """The steps ``user`` may take on ``proposal`` now, derived from their roles on the case
    (``proposal.roles_of``), the workflow transitions open to them
    (``lvzhi.workflow.engine.available_transitions``), the state's capability flags and the assignments'
    and replies' own status. The actions remain the authority: this only decides which forms to show.
    """

    today = today or timezone.localdate()
    roles = proposal.roles_of(user) if roles is None else roles
    acts = {t.act for t in available_transitions(proposal, user)}
    state = proposal.state
    steps: list[StepRef] = []
    profile = profile_of(user)
    if "proposer" in roles and state.submitter_may_edit:
        steps += [StepRef("edit")]
        if proposal.proposer_kind in ("member", "joint"):
            steps.append(StepRef("invite"))
    if "submit" in acts:
        steps.append(StepRef("submit"))
    if "cosigner" in roles and state.submitter_may_edit and profile is not None and profile.member_id and \
            CoSigner.objects.filter(proposal=proposal, member_id=profile.member_id,
                                    status=CoSignStatus.PENDING).exists():
        steps.append(StepRef("cosign"))
    if "withdraw" in acts:
        steps.append(StepRef("withdraw"))
    if "staff" in roles:
        steps += [StepRef(n) for n in ("file", "return", "not_file") if n in acts]
    if act_allowed(proposal, "merge", roles) and not proposal.merged_into_id:
        steps.append(StepRef("merge"))
    if "staff" in roles and ("assign" in acts or (
            act_allowed(proposal, "reassign", roles)
            and proposal.assignments.filter(status=AssignmentStatus.SENT_BACK).exists())):
        steps.append(StepRef("assign"))
    if profile is not None and profile.unit_id and roles & {"unit_clerk", "unit_leader"}:
        for a in proposal.assignments.filter(unit_id=profile.unit_id).select_related("unit"):
            if a.status != AssignmentStatus.HANDLING:
                continue
            if a.role == AssignmentRole.CO:
                steps.append(StepRef("opinion", a.pk, a.unit.name))
            elif state.units_may_reply and not a.replies.filter(round=a.round, status=ReplyStatus.SENT).exists():
                steps.append(StepRef("reply", a.pk, a.unit.name))
            if today <= a.sendback_deadline:
                steps.append(StepRef("send_back", a.pk, a.unit.name))
        if profile.role == Role.UNIT_LEADER and state.units_may_reply:
            for r in Reply.objects.filter(assignment__proposal=proposal, assignment__unit_id=profile.unit_id,
                                          status=ReplyStatus.PENDING_SIGNOFF).select_related("assignment__unit"):
                steps.append(StepRef("signoff", r.pk, r.assignment.unit.name))
                steps.append(StepRef("return_reply", r.pk, r.assignment.unit.name))
    if state.proposer_may_rate and (proposal.state_deadline is None or today <= proposal.state_deadline):
        rater_ids = set(proposal.proposer_user_ids())
        for merged in proposal.merged_proposals.all():
            rater_ids |= merged.proposer_user_ids()
        if user.pk in rater_ids or "staff" in roles:
            current = (Reply.objects.filter(assignment__proposal=proposal, status=ReplyStatus.SENT,
                                            round=F("assignment__round"))
                       .select_related("assignment__unit"))
            for r in current:
                done = set(r.evaluations.values_list("evaluator_id", flat=True))
                if (user.pk in rater_ids and user.pk not in done) or ("staff" in roles and rater_ids - done):
                    steps.append(StepRef("evaluate", r.pk, r.assignment.unit.name))
    if proposal.number:
        if act_allowed(proposal, "key", roles):
            steps.append(StepRef("key"))
        if act_allowed(proposal, "excellent", roles):
            steps.append(StepRef("excellent"))  # often chosen after the year's cases are closed
    if act_allowed(proposal, "follow_up", roles) and Reply.objects.filter(
            assignment__proposal=proposal, status=ReplyStatus.SENT, grade__needs_follow_up=True).exists():
        steps.append(StepRef("follow_up"))
    if "close" in acts and (not state.proposer_may_rate or (
            proposal.state_deadline is not None and today > proposal.state_deadline)):
        steps.append(StepRef("close"))
    if "archive" in acts:
        steps.append(StepRef("archive"))
    return steps


def search_proposals(user: Any, query: str, limit: int) -> tuple[int, list[Hit]]:
    """The header search over proposals: the list page's ``q`` filter (number, title, text, proposer) on what
    ``user`` may see (:func:`visible_proposals`)."""
    return case_hits(filter_proposals(visible_proposals(user), {"q": query}), limit,
                     lambda p: reverse("proposal-detail", args=[p.pk]))
