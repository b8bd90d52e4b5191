"""The steps a user may take on a suggestion now (the step list of its page), asked of the same
predicates the writers check: the suggestion's ``roles_of``, the workflow transitions open to those roles
(:func:`lvzhi.workflow.engine.available_transitions`, as ``check_move``/``engine.move``), the policy's act
roles (``CaseTypePolicy.roles_for``, as ``cases.actions.require_act``), the user's handling units
(``cases.people.unit_roles``, as the unit acts), the state's flags and the assignments' and replies' own
status. Never a state code. The writers remain the authority: a step shown here may still be refused
(e.g. a deadline passed meanwhile), a step not shown is refused by the writer too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from lvzhi.cases import people
from lvzhi.cases.choices import (
    REPLYING_ROLES,
    AssignmentRole,
    AssignmentStatus,
    InstructionStatus,
    ReplyKind,
    ReplyStatus,
)
from lvzhi.cases.models import Assignment, Evaluation, Instruction, KeyGroup, KeyGroupCase, Reply
from lvzhi.cases.policy import policy_for
from lvzhi.cases.queries import assignments_of
from lvzhi.core.search import Hit, case_hits
from lvzhi.suggestions.access import visible_suggestions
from lvzhi.suggestions.choices import DeputyRole, DeputyStatus
from lvzhi.suggestions.defaults import CASE_TYPE
from lvzhi.suggestions.models import Suggestion, SuggestionDeputy
from lvzhi.workflow.engine import available_transitions

#: Acts that are workflow transitions, offered when the engine offers them to the user.
TRANSITION_STEPS = ("submit", "withdraw", "return", "accept")


@dataclass(frozen=True)
class StepRef:
    """A step ``name`` (see ``lvzhi.suggestions.views.STEPS``) the user may take now, about ``target`` (an
    assignment, reply, instruction or key-group id, else ``None``); ``label`` says on what (e.g. the unit)."""

    name: str
    target: int | None = None
    label: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return self.name if self.target is None else f"{self.name}-{self.target}"


def pending_invitation(user: Any, suggestion: Suggestion, today: date) -> SuggestionDeputy | None:
    """The user's open invitation to second ``suggestion`` (as ``actions.respond_to_invitation`` accepts
    it: pending, not expired, while the submitter may edit), or ``None``."""
    member_id = people.member_id_of(user)
    if not member_id or not suggestion.state.submitter_may_edit:
        return None
    row = SuggestionDeputy.objects.filter(suggestion=suggestion, member_id=member_id, role=DeputyRole.SECONDING,
                                          status=DeputyStatus.PENDING).first()
    if row is None or (row.expires_at and today > row.expires_at):
        return None
    return row


def steps_for(user: Any, suggestion: Suggestion, *, today: date | None = None) -> list[StepRef]:
    """The steps ``user`` may take on ``suggestion`` now, in the order of the lifecycle."""
    today = today or timezone.localdate()
    state = suggestion.state
    roles = suggestion.roles_of(user)
    acts = {t.act for t in available_transitions(suggestion, user)}
    pol = policy_for(suggestion.council_id, CASE_TYPE)
    units = people.unit_roles(user)
    steps: list[StepRef] = []

    # the deputies' steps (suggestions.actions)
    if roles & {"deputy", "staff"} and state.submitter_may_edit:
        steps.append(StepRef("edit"))
    if "deputy" in roles and state.submitter_may_edit:
        steps.append(StepRef("invite"))
    if pending_invitation(user, suggestion, today) is not None:
        steps.append(StepRef("second"))
    steps += [StepRef(act) for act in TRANSITION_STEPS if act in acts]

    # assignment (cases.actions.assign)
    if state.assignable and "assign" in acts:
        steps.append(StepRef("assign"))
    elif state.units_may_reply and roles & pol.roles_for("reassign"):
        steps.append(StepRef("reassign"))

    # the units' steps, per assignment of a unit the user acts for
    assignments = list(assignments_of(suggestion))
    replies = list(Reply.objects.filter(assignment__in=assignments).select_related("grade"))
    for a in assignments:
        mine = a.unit_id in units
        own = [r for r in replies if r.assignment_id == a.pk]
        if mine and a.status == AssignmentStatus.HANDLING:
            if a.role == AssignmentRole.CO:
                steps.append(StepRef("opinion", a.pk, a.unit.name))
            else:
                steps.append(StepRef("contact", a.pk, a.unit.name))
                current = next((r for r in own if r.round == a.round and r.kind == ReplyKind.ANSWER), None)
                if state.units_may_reply and (current is None or current.status != ReplyStatus.SIGNED):
                    steps.append(StepRef("reply", a.pk, a.unit.name))
            if today <= a.sendback_deadline:
                steps.append(StepRef("send_back", a.pk, a.unit.name))
        if mine and a.role in REPLYING_ROLES and roles & pol.roles_for("final_answer"):
            needing = {r.round for r in own if r.kind == ReplyKind.ANSWER and r.status == ReplyStatus.SIGNED
                       and r.grade.needs_follow_up}
            answered = {r.round for r in own if r.kind == ReplyKind.FINAL and r.status == ReplyStatus.SIGNED}
            if needing - answered:
                steps.append(StepRef("final", a.pk, a.unit.name))
        if a.status == AssignmentStatus.HANDLING and roles & pol.roles_for("extend"):
            steps.append(StepRef("extend", a.pk, a.unit.name))
        if roles & pol.roles_for("excellent") and any(r.status == ReplyStatus.SIGNED for r in own):
            steps.append(StepRef("excellent_handling", a.pk, a.unit.name))
    for r in replies:
        a = next(x for x in assignments if x.pk == r.assignment_id)
        if units.get(a.unit_id) == "unit_leader" and r.status == ReplyStatus.PENDING_SIGNOFF and (
                r.kind == ReplyKind.FINAL or state.units_may_reply):
            steps.append(StepRef("signoff", r.pk, a.unit.name))

    # the opinion forms (cases.actions.evaluate)
    if state.proposer_may_rate and not (suggestion.state_deadline and today > suggestion.state_deadline):
        evaluators = set(suggestion.evaluator_ids(pol.joint_reply_mode))
        for_others = bool(roles & pol.roles_for("evaluate_for"))
        for r in replies:
            a = next(x for x in assignments if x.pk == r.assignment_id)
            if (r.status != ReplyStatus.SIGNED or r.kind != ReplyKind.ANSWER or r.round != a.round
                    or a.status != AssignmentStatus.REPLIED):
                continue
            done = set(Evaluation.objects.filter(reply=r).values_list("evaluator_id", flat=True))
            if (user.pk in evaluators and user.pk not in done) or (for_others and evaluators - done):
                steps.append(StepRef("evaluate", r.pk, a.unit.name))

    # supervision and selection (cases.actions)
    if suggestion.number and roles & pol.roles_for("key"):
        if not state.is_terminal:
            steps.append(StepRef("key"))
        if "staff" in roles:
            steps.append(StepRef("key_group"))
    for group in key_groups_of(suggestion):
        if "staff" in roles or group.leading_leader_id == user.pk:
            steps.append(StepRef("key_note", group.pk, group.theme))
    if roles & pol.roles_for("instruct"):
        steps.append(StepRef("instruct"))
    if roles & {"staff", "leader", "unit_clerk", "unit_leader"}:
        for ins in suggestion.instructions.exclude(status=InstructionStatus.DONE):
            steps.append(StepRef("instruction_note", ins.pk, ins.text[:20]))
    if roles & pol.roles_for("follow_up") and any(
            r.status == ReplyStatus.SIGNED and r.grade.needs_follow_up for r in replies):
        steps.append(StepRef("follow_up"))
    if suggestion.number and roles & pol.roles_for("excellent"):
        steps.append(StepRef("excellent"))
    if "close" in acts and not (state.proposer_may_rate and suggestion.state_deadline
                                and today <= suggestion.state_deadline):
        steps.append(StepRef("close"))
    return steps


def key_groups_of(suggestion: Suggestion) -> list[KeyGroup]:
    """The key groups (重点督办专题) ``suggestion`` belongs to, with their leading leaders."""
    links = KeyGroupCase.objects.filter(content_type=ContentType.objects.get_for_model(Suggestion),
                                        object_id=suggestion.pk).values("group_id")
    return list(KeyGroup.objects.filter(pk__in=links).select_related("leading_leader",
                                                                      "special_committee"))


def instructions_of(suggestion: Suggestion) -> QuerySet[Instruction]:
    return suggestion.instructions.select_related("leader").prefetch_related("notes")


# ---------------------------------------------------------------------------------------------- the list

FILTER_PARAMS = ("q", "session", "period", "delegation", "state", "unit", "key")


def list_suggestions(user: Any, params: Mapping[str, Any]) -> QuerySet[Suggestion]:
    """The suggestions ``user`` may see (:func:`visible_suggestions`), filtered by ``params`` (query-string
    values): ``q`` (title, content or number contains), ``session``, ``delegation``, ``unit`` (ids; not an
    integer: matches nothing), ``period`` (``session`` 大会期间 / ``interim`` 闭会期间), ``state`` (state
    code), ``key`` (``1``: key suggestions only). The leading deputy and the non-withdrawn assignments with
    their units are prefetched, so the number of queries does not grow with the rows. Newest submission
    first, drafts first among them."""

    def ident(name: str) -> int | None:
        value = str(params.get(name) or "").strip()
        if not value:
            return None
        return int(value) if value.isdigit() else -1

    qs = visible_suggestions(user)
    q = str(params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(content__icontains=q) | Q(number__icontains=q))
    for name, column in (("session", "session_id"), ("delegation", "delegation_id")):
        value = ident(name)
        if value is not None:
            qs = qs.filter(**{column: value})
    if params.get("period"):
        qs = qs.filter(period=str(params["period"]))
    if params.get("state"):
        qs = qs.filter(state__code=str(params["state"]))
    unit = ident("unit")
    if unit is not None:
        qs = qs.filter(pk__in=Assignment.objects.filter(case_type=CASE_TYPE, unit_id=unit).exclude(
            status=AssignmentStatus.WITHDRAWN).values("object_id"))
    if str(params.get("key") or "") == "1":
        qs = qs.filter(is_key=True)
    return (qs.select_related("state", "session__term", "delegation")
            .prefetch_related(
                Prefetch("deputies", to_attr="leading_rows",
                         queryset=SuggestionDeputy.objects.filter(role=DeputyRole.LEADING).select_related("member")),
                Prefetch("assignments", to_attr="active_assignments",
                         queryset=Assignment.objects.exclude(status=AssignmentStatus.WITHDRAWN)
                         .select_related("unit").order_by("id")))
            .order_by(F("submitted_at").desc(nulls_first=True), "-id"))


def search_suggestions(user: Any, query: str, limit: int) -> tuple[int, list[Hit]]:
    """The header search over deputies' suggestions: the list page's ``q`` filter (title, content, number) on
    what ``user`` may see."""
    from django.urls import reverse

    qs = visible_suggestions(user).filter(Q(title__icontains=query) | Q(content__icontains=query)
                                          | Q(number__icontains=query))
    return case_hits(qs, limit, lambda s: reverse("suggestion-detail", args=[s.pk]))
