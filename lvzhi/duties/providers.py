"""The act providers of the apps that exist now: meetings and speeches (this app), proposals (政协提案),
deputies' suggestions (代表建议) and public-opinion reports (社情民意). Each reads its records with a
constant number of queries, whatever the number of members.

Attributes (what rules may match):

- ``meeting``: ``meeting_kind`` (a :class:`~lvzhi.duties.choices.MeetingKind`), ``outcome`` (``present`` /
  ``excused`` / ``unexcused``: unexcused if any half-day was missed without approved leave, else present
  if any half-day was attended, else excused), ``present_half_days`` / ``excused_half_days`` /
  ``unexcused_half_days`` (counts; 1 for a meeting counted as a whole). Meetings not yet over count only
  their attended half-days.
- ``speech``: ``speech_kind`` (:class:`~lvzhi.duties.choices.ContributionKind`).
- ``proposal``: ``role`` (``first`` first proposer, ``co`` confirmed co-signer), ``cosigners`` (number of
  confirmed co-signers), ``filed``, ``key``, ``excellent`` (booleans). Dated by submission.
- ``suggestion``: ``role`` (``first`` leading deputy, ``co`` seconding deputy), ``cosigners``,
  ``accepted``, ``key``, ``excellent``. Dated by submission.
- ``topic``: a consultation topic of the year's plan the member takes part in (a duty topic, 履职课题):
  ``form``, ``role`` (``lead`` / ``member``), ``held`` (its meeting is set), ``outcome_sent``. Dated by its
  meeting, else the first of its planned month.
- ``thread_post``: a post in a topic's online consultation (网络议政发言): ``form``. Dated by the post.
- ``report``: ``adopted``, ``instructed`` (booleans), ``instructions`` (count), ``level`` (the highest
  level of an instruction: district, city, province, national; ``""`` none). Dated by submission.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from lvzhi.duties import acts
from lvzhi.duties.acts import Act, ActKind
from lvzhi.duties.choices import (
    ConsultationForm,
    ContributionKind,
    LeaveStatus,
    MeetingKind,
    Outcome,
    TopicRole,
)
from lvzhi.duties.models import CheckIn, Contribution, Invitee, Meeting
from lvzhi.members.choices import CouncilKind
from lvzhi.members.models import Council

BOOL = {"true": "是", "false": "否"}
ROLE = {"first": "第一提案人（领衔）", "co": "联名（附议）"}
LEVELS = ["district", "city", "province", "national"]


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end, time.max), tz))


def _url_maker(name: str) -> Any:
    try:
        pattern = reverse(name, args=[987654321])
    except NoReverseMatch:
        return lambda pk: ""
    head, tail = pattern.split("987654321")
    return lambda pk: f"{head}{pk}{tail}"


# ---------------------------------------------------------------------------------------------- meetings


def meeting_outcomes(meeting: Meeting, invitees: Iterable[tuple[int, str]], checkins: set[tuple[int, str]],
                     now: datetime) -> dict[int, dict[str, str]]:
    """Per invitee ``(member_id, leave_status)``: slot → outcome. A checked-in slot is present; otherwise
    excused with approved leave, unexcused without; slots of a meeting not yet over are ``pending``."""
    slots = meeting.slots()
    ended = meeting.has_ended(now)
    out: dict[int, dict[str, str]] = {}
    if slots == [""]:  # the usual case: the meeting counted as a whole
        absent = Outcome.PENDING if not ended else None
        for member_id, leave in invitees:
            if (member_id, "") in checkins:
                out[member_id] = {"": Outcome.PRESENT}
            else:
                out[member_id] = {"": absent or (Outcome.EXCUSED if leave == LeaveStatus.APPROVED
                                                 else Outcome.UNEXCUSED)}
        return out
    for member_id, leave in invitees:
        per: dict[str, str] = {}
        for slot in slots:
            if (member_id, slot) in checkins:
                per[slot] = Outcome.PRESENT
            elif not ended:
                per[slot] = Outcome.PENDING
            elif leave == LeaveStatus.APPROVED:
                per[slot] = Outcome.EXCUSED
            else:
                per[slot] = Outcome.UNEXCUSED
        out[member_id] = per
    return out


def overall(per: dict[str, str]) -> str | None:
    """The meeting-level outcome from the slots (see the module docstring); ``None`` if nothing is decided."""
    values = [v for v in per.values() if v != Outcome.PENDING]
    if not values:
        return None
    if Outcome.UNEXCUSED in values:
        return str(Outcome.UNEXCUSED)
    if Outcome.PRESENT in values:
        return str(Outcome.PRESENT)
    return str(Outcome.EXCUSED)


def meeting_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Act]:
    lo, hi = _bounds(start, end)
    meetings = {m.pk: m for m in Meeting.objects.filter(council=council, start__gte=lo, start__lte=hi)}
    if not meetings:
        return
    # one row per invitee with the number of half-days (or 1 for a whole meeting) they checked in
    present = (CheckIn.objects.filter(meeting_id=OuterRef("meeting_id"), member_id=OuterRef("member_id"))
               .order_by().values("meeting_id").annotate(n=Count("pk")).values("n"))
    inv = Invitee.objects.filter(meeting_id__in=list(meetings))
    if member_ids is not None:
        inv = inv.filter(member_id__in=member_ids)
    url = _url_maker("duties-meeting")
    now = timezone.now()
    info = {pk: (timezone.localdate(m.start), m.title, url(pk), f"meeting:{pk}", len(m.slots()), m.has_ended(now),
                 m.kind) for pk, m in meetings.items()}
    shared: dict[tuple[int, str, int, int, int], dict[str, Any]] = {}  # one attrs mapping per distinct outcome
    for meeting_id, member_id, leave, n_present in inv.annotate(
            n=Coalesce(Subquery(present), 0)).values_list("meeting_id", "member_id", "leave_status", "n"):
        day, title, link, key, n_slots, ended, kind = info[meeting_id]
        missed = n_slots - n_present
        if ended:
            excused, unexcused = (missed, 0) if leave == LeaveStatus.APPROVED else (0, missed)
        elif n_present:
            excused = unexcused = 0
        else:
            continue
        outcome = Outcome.UNEXCUSED if unexcused else Outcome.PRESENT if n_present else Outcome.EXCUSED
        token = (meeting_id, outcome, n_present, excused, unexcused)
        attrs = shared.get(token)
        if attrs is None:
            attrs = shared[token] = {"meeting_kind": kind, "outcome": str(outcome), "present_half_days": n_present,
                                     "excused_half_days": excused, "unexcused_half_days": unexcused}
        yield Act(member_id, "meeting", day, title, link, key, attrs)


def speech_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Act]:
    qs = Contribution.objects.filter(council=council, date__gte=start, date__lte=end)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    url = _url_maker("duties-meeting")
    for pk, member_id, kind, title, day, meeting_id in qs.values_list("pk", "member_id", "kind", "title", "date",
                                                                       "meeting_id"):
        yield Act(member_id, "speech", day, title, url(meeting_id) if meeting_id else "", f"speech:{pk}",
                  {"speech_kind": kind})


# ---------------------------------------------------------------------------------------------- cases


def proposal_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Act]:
    from lvzhi.proposals.choices import CoSignStatus
    from lvzhi.proposals.models import CoSigner, Proposal

    lo, hi = _bounds(start, end)
    rows = list(Proposal.objects.filter(council=council, submitted_at__gte=lo, submitted_at__lte=hi,
                                        first_proposer__isnull=False)
                .values_list("pk", "first_proposer_id", "title", "submitted_at", "filed_at", "is_key",
                             "excellent_year"))
    if not rows:
        return
    cos: dict[int, list[int]] = defaultdict(list)
    for proposal_id, member_id in CoSigner.objects.filter(
            proposal__council=council, proposal__submitted_at__gte=lo, proposal__submitted_at__lte=hi,
            status=CoSignStatus.CONFIRMED).values_list("proposal_id", "member_id"):
        cos[proposal_id].append(member_id)
    url = _url_maker("proposal-detail")
    for pk, first, title, submitted, filed_at, is_key, excellent in rows:
        day = timezone.localdate(submitted)
        base = {"cosigners": len(cos[pk]), "filed": filed_at is not None, "key": bool(is_key),
                "excellent": excellent is not None}
        for member_id, role in [(first, "first"), *((m, "co") for m in cos[pk])]:
            if member_ids is None or member_id in member_ids:
                yield Act(member_id, "proposal", day, title, url(pk), f"proposal:{pk}", {**base, "role": role})


def suggestion_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Act]:
    from lvzhi.suggestions.choices import DeputyRole, DeputyStatus
    from lvzhi.suggestions.models import Suggestion, SuggestionDeputy

    lo, hi = _bounds(start, end)
    rows: dict[int, tuple[str, datetime | None, datetime | None, bool, int | None]] = {
        r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in Suggestion.objects.filter(
            council=council, submitted_at__gte=lo, submitted_at__lte=hi).values_list(
            "pk", "title", "submitted_at", "accepted_at", "is_key", "excellent_year")}
    if not rows:
        return
    parties: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for sid, member_id, role in SuggestionDeputy.objects.filter(
            suggestion_id__in=list(rows), status=DeputyStatus.CONFIRMED).values_list("suggestion_id", "member_id",
                                                                                     "role"):
        parties[sid].append((member_id, "first" if role == DeputyRole.LEADING else "co"))
    url = _url_maker("suggestion-detail")
    for pk, (title, submitted, accepted, is_key, excellent) in rows.items():
        people = parties[pk]
        base = {"cosigners": sum(1 for _m, r in people if r == "co"), "accepted": accepted is not None,
                "key": bool(is_key), "excellent": excellent is not None}
        for member_id, role in people:
            if member_ids is None or member_id in member_ids:
                yield Act(member_id, "suggestion", timezone.localdate(submitted or timezone.now()), title, url(pk),
                          f"suggestion:{pk}", {**base, "role": role})


def report_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Act]:
    from lvzhi.opinions.models import Instruction, Report

    lo, hi = _bounds(start, end)
    qs = Report.objects.filter(council=council, submitted_at__gte=lo, submitted_at__lte=hi, member__isnull=False)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    rows = list(qs.values_list("pk", "member_id", "title", "submitted_at", "adopted_at"))
    if not rows:
        return
    levels: dict[int, list[str]] = defaultdict(list)
    for report_id, level in Instruction.objects.filter(report_id__in=[r[0] for r in rows]).values_list(
            "report_id", "level"):
        levels[report_id].append(level)
    url = _url_maker("opinions-report")
    for pk, member_id, title, submitted, adopted in rows:
        got = levels[pk]
        top = max(got, key=lambda v: LEVELS.index(v) if v in LEVELS else -1) if got else ""
        yield Act(member_id, "report", timezone.localdate(submitted), title, url(pk), f"report:{pk}",
                  {"adopted": adopted is not None, "instructed": bool(got), "instructions": len(got), "level": top})


def topic_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Act]:
    from lvzhi.duties.models import TopicParticipant

    qs = TopicParticipant.objects.filter(topic__plan__council=council)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    for member_id, topic_id, role, title, form, month, year, meeting_start, sent in qs.values_list(
            "member_id", "topic_id", "role", "topic__title", "topic__form", "topic__month", "topic__plan__year",
            "topic__meeting__start", "topic__outcome_sent_on"):
        day = timezone.localdate(meeting_start) if meeting_start else date(year, month, 1)
        if start <= day <= end:
            yield Act(member_id, "topic", day, title, "", f"topic:{topic_id}",
                      {"form": form, "role": role, "held": meeting_start is not None, "outcome_sent": sent is not None})


def thread_post_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Act]:
    """A member's posts in online consultations (网络议政发言): one act per post, dated by the post."""
    from lvzhi.duties.models import TopicPost

    lo, hi = _bounds(start, end)
    qs = TopicPost.objects.filter(topic__plan__council=council, created_at__gte=lo, created_at__lte=hi)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    url = _url_maker("duties-consultation")
    for pk, member_id, topic_id, title, form, created in qs.values_list(
            "pk", "member_id", "topic_id", "topic__title", "topic__form", "created_at"):
        yield Act(member_id, "thread_post", timezone.localdate(created), title, url(topic_id), f"thread_post:{pk}",
                  {"form": form})


def topic_and_thread_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Act]:
    yield from topic_acts(council, start, end, member_ids)
    yield from thread_post_acts(council, start, end, member_ids)


def reception_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Act]:
    """A deputy's receptions at a liaison station (进站接待, WORKFLOWS.md §6): one act per deputy present."""
    from django.db.models import Count, Q

    from lvzhi.stations.choices import Outcome as MatterOutcome
    from lvzhi.stations.models import Reception

    receptions = Reception.objects.filter(council=council, date__range=(start, end))
    info = {pk: (day, name, station_id, n, converted) for pk, day, name, station_id, n, converted in
            receptions.annotate(n=Count("matters"), converted=Count(
                "matters", filter=Q(matters__outcome=MatterOutcome.SUGGESTION))).values_list(
                "pk", "date", "station__name", "station_id", "n", "converted")}
    if not info:
        return
    through = Reception.deputies.through.objects.filter(reception_id__in=list(info))
    if member_ids is not None:
        through = through.filter(member_id__in=member_ids)
    url = _url_maker("station-detail")
    for reception_id, member_id in through.values_list("reception_id", "member_id"):
        day, name, station_id, n, converted = info[reception_id]
        yield Act(member_id, "reception", day, f"{name}接待", url(station_id), f"reception:{reception_id}",
                  {"matters": n, "converted": converted})


def livelihood_acts(council: Council, start: date, end: date, member_ids: set[int] | None) -> Iterator[Act]:
    """A deputy's part in the livelihood projects (民生实事, WORKFLOWS.md §4): project suggestions made, and
    taking part in a vote (from the roll of who received a ballot — never what was voted)."""
    from lvzhi.livelihood.models import ProjectSuggestion, VoteRoll

    lo, hi = _bounds(start, end)
    suggestions = ProjectSuggestion.objects.filter(council=council, member__isnull=False, created_at__gte=lo,
                                                   created_at__lte=hi)
    if member_ids is not None:
        suggestions = suggestions.filter(member_id__in=member_ids)
    for pk, member_id, title, created, screening in suggestions.values_list(
            "pk", "member_id", "title", "created_at", "screening"):
        yield Act(member_id, "livelihood_suggestion", timezone.localdate(created), title, "",
                  f"livelihood_suggestion:{pk}", {"screening": screening})
    roll = VoteRoll.objects.filter(vote__council=council, vote__closed_at__gte=lo, vote__closed_at__lte=hi)
    if member_ids is not None:
        roll = roll.filter(member_id__in=member_ids)
    url = _url_maker("livelihood-vote")
    for vote_id, member_id, title, closed, channel in roll.values_list(
            "vote_id", "member_id", "vote__title", "vote__closed_at", "channel"):
        yield Act(member_id, "livelihood_vote", timezone.localdate(closed), title, url(vote_id),
                  f"livelihood_vote:{vote_id}", {"channel": channel})


def register_builtin_providers() -> None:
    """Register the providers of this app, proposals, suggestions and public-opinion reports."""
    from lvzhi.opinions.choices import InstructionLevel

    outcome = {str(k): str(v) for k, v in Outcome.choices if k != Outcome.PENDING}
    acts.register("meetings", "会议活动", [
        ActKind("meeting", "会议活动", {"meeting_kind": "类型", "outcome": "出席情况",
                                     "present_half_days": "出席半天数", "excused_half_days": "请假半天数",
                                     "unexcused_half_days": "缺席半天数"},
                {"meeting_kind": {str(k): str(v) for k, v in MeetingKind.choices}, "outcome": outcome}),
    ], meeting_acts)
    acts.register("speeches", "发言", [
        ActKind("speech", "发言", {"speech_kind": "发言类型"},
                {"speech_kind": {str(k): str(v) for k, v in ContributionKind.choices}}),
    ], speech_acts)
    acts.register("topics", "协商议题", [
        ActKind("topic", "协商议题（履职课题）", {"form": "协商形式", "role": "身份", "held": "已协商",
                                            "outcome_sent": "成果已报送"},
                {"form": {str(k): str(v) for k, v in ConsultationForm.choices},
                 "role": {str(k): str(v) for k, v in TopicRole.choices}, "held": BOOL, "outcome_sent": BOOL}),
        ActKind("thread_post", "网络议政发言", {"form": "协商形式"},
                {"form": {str(k): str(v) for k, v in ConsultationForm.choices}}),
    ], topic_and_thread_acts)
    acts.register("proposals", "提案", [
        ActKind("proposal", "提案", {"role": "身份", "cosigners": "联名人数", "filed": "立案", "key": "重点提案",
                                   "excellent": "优秀提案"},
                {"role": ROLE, "filed": BOOL, "key": BOOL, "excellent": BOOL}),
    ], proposal_acts, council_kinds=[CouncilKind.CPPCC])
    acts.register("suggestions", "代表建议", [
        ActKind("suggestion", "代表建议", {"role": "身份", "cosigners": "附议人数", "accepted": "受理",
                                       "key": "重点督办", "excellent": "优秀建议"},
                {"role": ROLE, "accepted": BOOL, "key": BOOL, "excellent": BOOL}),
    ], suggestion_acts, council_kinds=[CouncilKind.NPC])
    acts.register("reports", "社情民意", [
        ActKind("report", "社情民意", {"adopted": "采用", "instructed": "获批示", "instructions": "批示数",
                                   "level": "最高批示级别"},
                {"adopted": BOOL, "instructed": BOOL,
                 "level": {str(k): str(v) for k, v in InstructionLevel.choices}}),
    ], report_acts)
    from lvzhi.livelihood.models import Channel as BallotChannel
    from lvzhi.livelihood.models import Screening

    acts.register("receptions", "联络站接待", [
        ActKind("reception", "联络站接待", {"matters": "收集事项数", "converted": "转为代表建议数"}),
    ], reception_acts, council_kinds=[CouncilKind.NPC])
    acts.register("livelihood", "民生实事", [
        ActKind("livelihood_suggestion", "民生实事项目建议", {"screening": "审查结果"},
                {"screening": {str(k): str(v) for k, v in Screening.choices}}),
        ActKind("livelihood_vote", "参加民生实事票决", {"channel": "投票方式"},
                {"channel": {str(k): str(v) for k, v in BallotChannel.choices}}),
    ], livelihood_acts, council_kinds=[CouncilKind.NPC])
