"""Reading deputies' suggestions: the detail of one (for the API and the page) and the NPC's 数读 figures."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q

from lvzhi.cases import people
from lvzhi.cases.choices import REPLYING_ROLES, AssignmentStatus, ReplyKind, ReplyStatus
from lvzhi.cases.models import Assignment, Evaluation, KeyGroup, Reply
from lvzhi.cases.policy import policy_for
from lvzhi.cases.queries import assignments_of, co_handling_opinions
from lvzhi.core import audit
from lvzhi.suggestions.choices import Period
from lvzhi.suggestions.defaults import CASE_TYPE
from lvzhi.suggestions.models import Suggestion
from lvzhi.workflow import engine


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def suggestion_figures(council_id: int, *, session_id: int | None = None) -> dict[str, Any]:
    """The NPC's 数读 of deputies' suggestions in council ``council_id`` (of one session when given).

    - ``received``: suggestions in a state that counts as received (``State.counts_as_received``), with
      ``in_session`` (大会期间) and ``interim`` (闭会期间); ``by_delegation``: name → received count (those
      without a delegation are not listed);
    - ``accepted``: received ones with a number; ``assigned``: received ones with at least one assignment;
      ``sent_back``: assignments sent back; ``replied``: suggestions with a signed answer;
    - ``grades``: grade code → count and ``grade_shares`` (share of the latest signed answer of every
      replying assignment);
    - ``evaluations``: opinion forms; ``satisfaction``: dimension → level → count; ``satisfied_share``: share
      of forms with no 不满意 (no level that reopens) on any dimension;
    - ``rehandled``: suggestions with an assignment in a second or later round;
    - ``key``: key suggestions (``is_key``), ``key_groups``: key groups of the council; ``excellent``,
      ``golden_ideas``, ``excellent_handling``: selections.
    All counts are integers, shares floats in [0, 1] (``None`` with nothing to divide).
    """
    qs = Suggestion.objects.filter(council_id=council_id)
    if session_id is not None:
        qs = qs.filter(session_id=session_id)
    received = qs.filter(state__counts_as_received=True)
    ids = list(received.values_list("pk", flat=True))
    ct = ContentType.objects.get_for_model(Suggestion)
    assignments = Assignment.objects.filter(content_type=ct, object_id__in=ids)
    latest_round = {row["pk"]: row["r"] for row in assignments.filter(role__in=REPLYING_ROLES).values("pk")
                    .annotate(r=Max("replies__round", filter=Q(replies__status=ReplyStatus.SIGNED,
                                                               replies__kind=ReplyKind.ANSWER)))}
    signed = Reply.objects.filter(assignment__in=assignments, status=ReplyStatus.SIGNED, kind=ReplyKind.ANSWER)
    latest = [r for r in signed.select_related("grade") if latest_round.get(r.assignment_id) == r.round]
    grades = Counter(r.grade.code for r in latest)
    pol = policy_for(council_id, CASE_TYPE)
    scheme = pol.evaluation_scheme or {}
    forms = list(Evaluation.objects.filter(reply__in=signed))
    satisfaction: dict[str, dict[str, int]] = {d["code"]: {lv["code"]: 0 for lv in pol.levels} for d in pol.dimensions}
    bad_levels = set(scheme.get("rehandle_levels", []))
    for form in forms:
        for dim, level in form.scores.items():
            satisfaction.setdefault(dim, {}).setdefault(level, 0)
            satisfaction[dim][level] += 1
    satisfied = sum(1 for f in forms if not bad_levels.intersection(f.scores.values()))
    by_delegation = {row["delegation__name"]: row["n"] for row in received.exclude(delegation=None)
                     .values("delegation__name").annotate(n=Count("pk")).order_by("-n", "delegation__name")}
    groups = KeyGroup.objects.filter(council_id=council_id, case_type=CASE_TYPE)
    return {
        "received": len(ids),
        "in_session": received.filter(period=Period.SESSION).count(),
        "interim": received.filter(period=Period.INTERIM).count(),
        "by_delegation": by_delegation,
        "accepted": received.exclude(number="").count(),
        "assigned": len(set(assignments.values_list("object_id", flat=True))),
        "sent_back": assignments.filter(status=AssignmentStatus.SENT_BACK).count(),
        "replied": len(set(signed.values_list("assignment__object_id", flat=True))),
        "grades": dict(sorted(grades.items())),
        "grade_shares": {code: _ratio(n, len(latest)) for code, n in sorted(grades.items())},
        "evaluations": len(forms),
        "satisfaction": satisfaction,
        "satisfied_share": _ratio(satisfied, len(forms)),
        "rehandled": len(set(assignments.filter(round__gt=1).values_list("object_id", flat=True))),
        "key": received.filter(is_key=True).count(),
        "key_groups": groups.count(),
        "excellent": received.exclude(excellent_year=None).count(),
        "golden_ideas": received.exclude(golden_idea_year=None).count(),
        "excellent_handling": assignments.exclude(excellent_year=None).count(),
    }


def suggestion_detail(suggestion: Suggestion, user: Any) -> dict[str, Any]:
    """Everything about ``suggestion`` as ``user`` sees it: deputies, the caller's roles and possible acts,
    assignments with their replies (unsigned ones only to their unit and the staff), co-handling opinions,
    follow-ups, instructions and the timeline."""
    roles = suggestion.roles_of(user)
    units = people.unit_roles(user)
    assignments = []
    for a in assignments_of(suggestion):
        replies = [{"id": r.pk, "round": r.round, "kind": r.kind, "grade": r.grade.code, "text": r.text,
                    "status": r.status, "leader_comment": r.leader_comment, "signed_at": r.signed_at,
                    "evaluations": [{"evaluator_id": e.evaluator_id, "scores": e.scores, "rehandle": e.rehandle,
                                     "comment": e.comment} for e in r.evaluations.all()]}
                   for r in a.replies.select_related("grade").order_by("round", "id")
                   if r.status == ReplyStatus.SIGNED or a.unit_id in units or "staff" in roles]
        assignments.append({"id": a.pk, "unit": {"id": a.unit_id, "name": a.unit.name}, "role": a.role,
                            "status": a.status, "round": a.round, "deadline": a.deadline,
                            "latest_deadline": a.latest_deadline, "sendback_deadline": a.sendback_deadline,
                            "sendback_reason": a.sendback_reason, "opinion": a.opinion,
                            "co_opinions": co_handling_opinions(a) if a.unit_id in units or "staff" in roles else [],
                            "replies": replies})
    return {
        "id": suggestion.pk, "number": suggestion.number, "title": suggestion.title, "content": suggestion.content,
        "category": suggestion.category, "period": suggestion.period, "version": suggestion.version,
        "state": {"code": suggestion.state.code, "name": suggestion.state.name},
        "session_id": suggestion.session_id, "delegation_id": suggestion.delegation_id,
        "submitted_at": suggestion.submitted_at, "return_ground": suggestion.return_ground,
        "is_key": suggestion.is_key, "excellent_year": suggestion.excellent_year,
        "golden_idea_year": suggestion.golden_idea_year, "is_demo": suggestion.is_demo,
        "roles": sorted(roles),
        "transitions": [{"act": t.act, "name": t.name, "requires_comment": t.requires_comment}
                        for t in engine.available_transitions(suggestion, user)],
        "deputies": [{"member_id": d.member_id, "name": d.member.name, "role": d.role, "status": d.status,
                      "expires_at": d.expires_at} for d in suggestion.deputies.select_related("member")],
        "assignments": assignments,
        "follow_ups": [{"id": f.pk, "note": f.note, "delivered": f.delivered, "created_at": f.created_at}
                       for f in suggestion.follow_ups.all()],
        "instructions": [{"id": i.pk, "text": i.text, "status": i.status, "leader_id": i.leader_id}
                         for i in suggestion.instructions.all()],
        "timeline": [{"at": e.created_at, "event": e.event, "actor": people.display_name(e.actor),
                      "from_state": e.from_state, "to_state": e.to_state, "comment": e.comment}
                     for e in audit.timeline(suggestion)],
    }
