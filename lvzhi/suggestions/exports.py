"""Excel export of the suggestion list (代表建议清单): exactly the suggestions the list page shows for the user
with its filters (:func:`lvzhi.suggestions.steps.list_suggestions`), drafts left out unless asked, with the
columns staff need — number, deputies, delegation, period, category, state, units, reply grades, and the date
of each step (submitted, accepted, assigned, reply due, replied), and the deputies' satisfaction with the replies
(意见征询表: the lowest level given, and each form in full). Written by
:func:`lvzhi.core.workbooks.write_rows`; a fixed number of queries per 2,000 rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from lvzhi.cases.choices import AssignmentRole, AssignmentStatus, ReplyKind, ReplyStatus
from lvzhi.cases.models import Evaluation, Reply
from lvzhi.cases.policy import policy_for
from lvzhi.core.workbooks import local, write_rows
from lvzhi.members.models import Profile
from lvzhi.suggestions.choices import DeputyRole, DeputyStatus, Period
from lvzhi.suggestions.defaults import CASE_TYPE
from lvzhi.suggestions.models import Suggestion, SuggestionDeputy
from lvzhi.suggestions.steps import list_suggestions

SUGGESTION_HEADERS = ["建议编号", "标题", "领衔代表", "附议代表", "代表团", "提出时间", "类别", "状态", "承办单位",
                      "答复类别", "提交时间", "受理时间", "交办日期", "答复期限", "答复日期", "重点督办", "满意度",
                      "满意度测评"]
SUGGESTION_WIDTHS = [12, 44, 12, 24, 16, 10, 12, 14, 36, 16, 18, 18, 12, 12, 24, 8, 10, 60]


def export_queryset(user: Any, params: Mapping[str, Any]) -> QuerySet[Suggestion]:
    """The suggestions of ``user``'s export: the list page's (:func:`list_suggestions` with ``params``), without
    drafts (a state flagged draft or the initial state) unless ``drafts=1`` (a draft is not yet a suggestion), with the seconding deputies and the signed
    answers of each assignment prefetched."""
    qs = list_suggestions(user, params)
    if str(params.get("drafts") or "") != "1":
        # unsent: the draft flag, or (as the access layer reads it) the workflow's initial state
        qs = qs.exclude(Q(state__is_draft=True) | Q(state__is_initial=True))
    return qs.prefetch_related(
        Prefetch("deputies", to_attr="seconding_rows", queryset=SuggestionDeputy.objects.filter(
            role=DeputyRole.SECONDING, status=DeputyStatus.CONFIRMED).select_related("member").order_by("id")),
        Prefetch("active_assignments__replies", to_attr="signed_answers", queryset=Reply.objects.filter(
            status=ReplyStatus.SIGNED, kind=ReplyKind.ANSWER).select_related("grade").order_by("round", "id")
            .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.order_by("id").prefetch_related(
                Prefetch("evaluator__profiles", queryset=Profile.objects.select_related("member")
                         .order_by("-primary", "id")))))))


def _evaluator_name(user: Any) -> str:
    """The evaluator as the export names them: the deputy's name (the member of one of the account's
    capacities), else the primary capacity's display name, else the user name (profiles prefetched)."""
    profiles = list(user.profiles.all())
    for profile in profiles:
        if profile.member is not None:
            return str(profile.member.name)
    if profiles and profiles[0].display_name:
        return str(profiles[0].display_name)
    return str(user.get_username())


Scheme = dict[str, list[tuple[str, str]]]


def satisfaction(s: Suggestion, schemes: Mapping[str, Scheme]) -> tuple[str, str]:
    """``(overall, forms)`` of the deputies' opinion forms (意见征询表) on the latest signed answer of each
    replying unit of ``s`` (from :func:`export_queryset`): ``overall`` the lowest level given on any dimension
    of any form (the council policy's ``levels`` are listed best first: 满意, 基本满意, 不满意), ``""`` before
    any form; ``forms`` one entry per form, ``陈代表：联系沟通满意，办理态度满意，办理结果基本满意``, joined by
    ``；`` and prefixed with the unit's name (``市交通运输局／陈代表：…``) when several units reply. ``schemes``
    maps the council id (as text) to its evaluation scheme (:func:`_scheme`)."""
    scheme = schemes[str(s.council_id)]
    level_codes = [code for code, _ in scheme["levels"]]
    level_label = dict(scheme["levels"])
    dims = scheme["dimensions"]
    live = [a for a in s.active_assignments  # type: ignore[attr-defined]
            if a.status != AssignmentStatus.SENT_BACK and a.signed_answers]
    prefix = len(live) > 1
    worst = -1
    forms = []
    for a in live:
        for e in a.signed_answers[-1].evaluations.all():
            given = [(label, e.scores.get(code, "")) for code, label in dims]
            for _, code in given:
                if code in level_codes:
                    worst = max(worst, level_codes.index(code))
            text = "，".join(f"{label}{level_label.get(code, code or '—')}" for label, code in given)
            forms.append(f"{a.unit.name + '／' if prefix else ''}{_evaluator_name(e.evaluator)}：{text}")
    return (str(level_label[level_codes[worst]]) if worst >= 0 else ""), "；".join(forms)


def _scheme(council_id: int) -> Scheme:
    """The evaluation scheme of the council's suggestion policy: ``{"levels": [(code, label)], "dimensions":
    [(code, label)]}``."""
    pol = policy_for(council_id, CASE_TYPE)
    return {"levels": [(lv["code"], str(lv["label"])) for lv in pol.levels],
            "dimensions": [(d["code"], str(d["label"])) for d in pol.dimensions]}


def suggestion_row(s: Suggestion, schemes: dict[str, Scheme] | None = None) -> list[Any]:
    """One suggestion's cells in the order of :data:`SUGGESTION_HEADERS` (``s`` from :func:`export_queryset`).
    Units: ``name（主办）``, a unit that sent the case back marked 已退回; grades and reply dates: the latest
    signed answer of each replying unit, prefixed with the unit's name when several reply; 交办日期 the first
    assignment's day, 答复期限 the earliest deadline of the units still on the case; 满意度 and 满意度测评 as
    :func:`satisfaction` gives them (``schemes`` caches the councils' evaluation schemes across rows)."""
    schemes = {} if schemes is None else schemes
    if str(s.council_id) not in schemes:
        schemes[str(s.council_id)] = _scheme(s.council_id)
    overall, forms = satisfaction(s, schemes)
    leading = [d.member.name for d in s.leading_rows]  # type: ignore[attr-defined]
    seconding = [d.member.name for d in s.seconding_rows]  # type: ignore[attr-defined]
    assignments = s.active_assignments  # type: ignore[attr-defined]
    units = "；".join(f"{a.unit.name}（{AssignmentRole(a.role).label}"
                     f"{'，已退回' if a.status == AssignmentStatus.SENT_BACK else ''}）" for a in assignments)
    live = [a for a in assignments if a.status != AssignmentStatus.SENT_BACK]
    replying = [a for a in live if a.signed_answers]
    prefix = len(replying) > 1
    grades = "；".join(f"{a.unit.name + '：' if prefix else ''}{a.signed_answers[-1].grade.code}类" for a in replying)
    replied = "；".join(f"{a.unit.name + '：' if prefix else ''}"
                        f"{timezone.localdate(a.signed_answers[-1].signed_at).isoformat()}"
                        for a in replying if a.signed_answers[-1].signed_at)
    assigned = min((timezone.localdate(a.assigned_at) for a in assignments), default=None)
    deadline = min((a.deadline for a in live if a.role != AssignmentRole.CO), default=None)
    return [s.number, s.title, "、".join(leading), "、".join(seconding), s.delegation.name if s.delegation else "",
            str(Period(s.period).label) if s.period else "", s.category, s.state.name, units, grades,
            local(s.submitted_at), local(s.accepted_at), assigned, deadline, replied, "是" if s.is_key else "",
            overall, forms]


def write_suggestions(qs: QuerySet[Suggestion], target: str | IO[bytes]) -> int:
    """Write the suggestions of ``qs`` (from :func:`export_queryset`, in its order) as the sheet 代表建议清单;
    returns the rows written."""
    schemes: dict[str, Scheme] = {}
    return write_rows(target, "代表建议清单", SUGGESTION_HEADERS,
                      (suggestion_row(s, schemes) for s in qs.iterator(chunk_size=2000)), widths=SUGGESTION_WIDTHS)
