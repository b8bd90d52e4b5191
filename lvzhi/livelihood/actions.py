"""The writers of livelihood projects (民生实事): collection, screening, the candidate list, the secret vote
(online ballots, paper ballots and their tally), counting, publication, re-votes and the year-end
satisfaction evaluation.

Each function is one act: one transaction, permission checked (:class:`ForbiddenError`), bad input refused
with a Chinese message naming the field (:class:`DomainError`), one audit entry. Nothing is half-written
and nothing is counted twice: a deputy's second ballot is refused by a unique roll row, a tally file
imported twice by its digest, a paper ballot number used twice by the import.

Who may do what: deputies (a profile with a member of the council) submit suggestions, vote and rate;
anyone (also not logged in) may submit a suggestion through the portal as the public; the council's
staff register suggestions, screen them, set up votes, issue paper ballots and import tallies; the
presiding officer (the council's staff or a leader) opens, closes, counts and publishes.
Rules: issue 7, WORKFLOWS.md §4, 选举法 第四十、四十四、四十五条; counting in :mod:`.counting`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lvzhi.core import audit
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.livelihood.counting import (
    MARKS,
    RATINGS,
    YES,
    CountingError,
    VoteCount,
    count_satisfaction,
    count_votes,
)
from lvzhi.livelihood.models import (
    Aspect,
    Assessment,
    Ballot,
    Candidate,
    Channel,
    CollectionWindow,
    Conclusion,
    DeliveryProject,
    Evaluation,
    EvaluationForm,
    EvaluationRoll,
    Finding,
    FindingStatus,
    MicroBatch,
    MicroProject,
    Milestone,
    PaperTally,
    ProgressPhoto,
    ProgressReport,
    ProjectSuggestion,
    Screening,
    Source,
    SupervisionActivity,
    SupervisionKind,
    Vote,
    VoteRoll,
)
from lvzhi.livelihood.tally import read_tally
from lvzhi.members.access import is_council_leader, is_council_staff, profile_of
from lvzhi.members.models import Council, HandlingUnit, Member

# --- who -------------------------------------------------------------------------------------------------

def deputy_of(actor: Any, council_id: int) -> Member | None:
    """The active deputy of ``council_id`` that ``actor`` acts as, or ``None``."""
    profile = profile_of(actor)
    member = profile.member if profile is not None else None
    if member is None or member.council_id != council_id or not member.active:
        return None
    return member


def is_officer(actor: Any, council_id: int) -> bool:
    """The presiding officer's side: the council's staff (or admin) or a leader of it."""
    return is_council_staff(actor, council_id) or is_council_leader(actor, council_id)


def _require_staff(actor: Any, council_id: int) -> None:
    if not is_council_staff(actor, council_id):
        raise ForbiddenError("只有本机构的工作人员可以办理此事项。")


def _require_officer(actor: Any, council_id: int) -> None:
    if not is_officer(actor, council_id):
        raise ForbiddenError("只有大会主持人（本机构的领导或工作人员）可以办理此事项。")


def _text(value: str | None, field: str, label: str, *, required: bool = False, max_length: int = 200) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length} 个字（现有 {len(text)} 个）。", field=field)
    return text


def _money(value: object, field: str, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError(f"「{label}」应为数字（万元），收到“{value}”。", field=field) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise DomainError(f"「{label}」应为不小于 0 的金额（万元）。", field=field)
    return amount.quantize(Decimal("0.01"))


# --- collection and screening ----------------------------------------------------------------------------

@transaction.atomic
def open_collection(actor: Any, council: Council, *, year: int, opens: date, closes: date) -> CollectionWindow:
    """Set up the collection period (征集期) of ``council`` for ``year``; one per council and year."""
    _require_staff(actor, council.pk)
    if closes < opens:
        raise DomainError("征集截止日期不能早于开始日期。", field="closes")
    if CollectionWindow.objects.filter(council=council, year=year).exists():
        raise DomainError(f"{year} 年度的民生实事征集已经设立。", field="year")
    window = CollectionWindow.objects.create(council=council, year=year, opens=opens, closes=closes)
    audit.record(window, "livelihood_collection_opened", actor=actor, new={"year": year, "opens": opens,
                                                                           "closes": closes})
    return window


@transaction.atomic
def submit_project(actor: Any, window: CollectionWindow, *, title: str, content: str = "", place: str = "",
                   investment: object = None, beneficiaries: str = "", proposed_unit: HandlingUnit | None = None,
                   proposer_name: str = "", proposer_contact: str = "", member: Member | None = None,
                   today: date | None = None) -> ProjectSuggestion:
    """A project suggestion in ``window``. The source follows from the actor: a deputy of the council
    proposes in its own name; the council's staff register one from a letter or station (naming the
    deputy ``member`` or the ``proposer_name``); anyone else (also ``None``: the portal) proposes as the
    public and must give a name and a contact. ``investment`` in 万元. Deputies and the public only
    within the collection period; staff also after it (paper letters arrive late)."""
    council_id = window.council_id
    deputy = deputy_of(actor, council_id)
    staff = is_council_staff(actor, council_id)
    if staff:
        source = Source.STAFF
        if member is not None and member.council_id != council_id:
            raise DomainError("提出代表须为本机构的代表。", field="member")
        if member is None and not proposer_name.strip():
            raise DomainError("请填写提出人或选择提出代表。", field="proposer_name")
    elif deputy is not None:
        source, member = Source.DEPUTY, deputy
    else:
        source, member = Source.PUBLIC, None
        _text(proposer_name, "proposer_name", "提出人", required=True, max_length=100)
        _text(proposer_contact, "proposer_contact", "联系方式", required=True, max_length=100)
    if not staff and not window.is_open(today):
        raise DomainError(f"不在征集期内（{window.opens} 至 {window.closes}）。", field="window")
    if proposed_unit is not None and proposed_unit.council_id != council_id:
        raise DomainError("建议责任单位须为本机构的承办单位。", field="proposed_unit")
    project = ProjectSuggestion.objects.create(
        window=window, council_id=council_id, source=source, member=member,
        title=_text(title, "title", "项目名称", required=True),
        content=_text(content, "content", "项目内容", max_length=5000),
        place=_text(place, "place", "实施地点"),
        investment=_money(investment, "investment", "估算投资"),
        beneficiaries=_text(beneficiaries, "beneficiaries", "受益群体"),
        proposed_unit=proposed_unit,
        proposer_name=_text(proposer_name, "proposer_name", "提出人", max_length=100),
        proposer_contact=_text(proposer_contact, "proposer_contact", "联系方式", max_length=100),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _group_similar(project)
    audit.record(project, "livelihood_project_submitted", actor=actor,
                 new={"source": source, "similar_to": project.similar_to_id})
    return project


#: A suggestion whose text has at least this cosine similarity (0..1, :mod:`lvzhi.smart.similar`) with an
#: earlier one of the same collection is grouped with it as a likely repeat; an identical text (after folding
#: punctuation, spaces, width and traditional characters) always scores 1.0.
REPEAT_MIN_SCORE = 0.5


def _suggestion_text(p: ProjectSuggestion) -> str:
    return "\n".join(part for part in (p.title, p.content) if part)


def _group_similar(project: ProjectSuggestion) -> None:
    """Group ``project`` with the most similar earlier suggestion of its collection (score ≥
    :data:`REPEAT_MIN_SCORE`) — the similar-case engine of :mod:`lvzhi.smart.similar` over the collection's
    texts; a repeat of a repeat points to the first one. Staff see it on the screening page and may merge."""
    from lvzhi.smart.similar import SimilarityIndex

    earlier = list(ProjectSuggestion.objects.filter(window_id=project.window_id, pk__lt=project.pk)
                   .only("pk", "title", "content", "similar_to_id").order_by("pk"))
    if not earlier:
        return
    texts = [_suggestion_text(p) for p in earlier]
    index = SimilarityIndex(bits=18).fit_idf([*texts, _suggestion_text(project)])  # a collection: small
    index.add_many([(str(p.pk), t) for p, t in zip(earlier, texts, strict=True)])
    hits = index.query(_suggestion_text(project), k=1, min_score=REPEAT_MIN_SCORE)
    if not hits:
        return
    hit = next(p for p in earlier if str(p.pk) == hits[0].id)
    project.similar_to_id = hit.similar_to_id or hit.pk
    project.similarity = round(float(hits[0].score), 3)
    project.save(update_fields=["similar_to", "similarity"])


@transaction.atomic
def assess_project(actor: Any, project: ProjectSuggestion, *, aspect: str, conclusion: str,
                   opinion: str) -> Assessment:
    """An assessment in screening (feasibility, legality review, debt risk, cost) by the council's staff
    or a handling unit of the council (recorded with its unit); the staff then screen with
    :func:`screen_project`. Refused once the item is screened."""
    from lvzhi.cases import people

    units = people.unit_roles(actor)
    profile = profile_of(actor)
    unit_id = profile.unit_id if profile is not None and units else None
    staff = is_council_staff(actor, project.council_id)
    if not staff and not (unit_id and HandlingUnit.objects.filter(pk=unit_id, council_id=project.council_id).exists()):
        raise ForbiddenError("只有本机构的工作人员或承办单位可以评估项目。")
    if project.screening != Screening.PENDING:
        raise DomainError("该项目已审查，不能再评估。", field="project")
    if aspect not in Aspect.values:
        raise DomainError("请选择评估事项：可行性、合法性审查、债务风险或投资估算。", field="aspect")
    if conclusion not in Conclusion.values:
        raise DomainError("请选择评估结论。", field="conclusion")
    assessment = Assessment.objects.create(
        project=project, aspect=aspect, conclusion=conclusion, unit_id=None if staff else unit_id, by=actor,
        opinion=_text(opinion, "opinion", "评估意见", required=True, max_length=5000))
    audit.record(project, "livelihood_project_assessed", actor=actor, comment=assessment.opinion,
                 new={"aspect": aspect, "conclusion": conclusion})
    return assessment


@transaction.atomic
def screen_project(actor: Any, project: ProjectSuggestion, *, outcome: str, reason: str = "",
                   merged_into: ProjectSuggestion | None = None) -> ProjectSuggestion:
    """Record the screening (审查: feasibility, legality, debt risk, cost) outcome with its reason. Every
    outcome but 列入候选 needs a reason; 已合并 needs the item it is merged into (same collection)."""
    _require_staff(actor, project.council_id)
    if outcome not in Screening.values or outcome == Screening.PENDING:
        raise DomainError("请选择审查结果。", field="outcome")
    text = _text(reason, "reason", "审查意见", required=outcome != Screening.ACCEPTED, max_length=2000)
    if outcome == Screening.MERGED:
        if merged_into is None or merged_into.pk == project.pk or merged_into.window_id != project.window_id:
            raise DomainError("请选择同一征集中要并入的另一项目。", field="merged_into")
    else:
        merged_into = None
    old = project.screening
    project.screening, project.screening_reason, project.merged_into = outcome, text, merged_into
    project.screened_by, project.screened_at = actor, timezone.now()
    project.save()
    audit.record(project, "livelihood_project_screened", actor=actor, comment=text,
                 old={"screening": old}, new={"screening": outcome})
    return project


# --- the vote --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CandidateInput:
    """One project for the candidate list: from an accepted suggestion, or given directly."""

    title: str = ""
    suggestion: ProjectSuggestion | None = None
    investment: object = None
    completion: date | None = None
    unit: HandlingUnit | None = None


@transaction.atomic
def create_vote(actor: Any, council: Council, *, title: str, places: int, electorate: int,
                candidates: Sequence[CandidateInput], window: CollectionWindow | None = None,
                opens_at: datetime | None = None, closes_at: datetime | None = None) -> Vote:
    """A vote on a candidate list, numbered ``01``, ``02`` … in the order given. 差额: more candidates
    than ``places``; ``electorate`` is the number of all deputies. The list still needs approval
    (:func:`approve_list`) before the vote can open."""
    _require_staff(actor, council.pk)
    if places < 1:
        raise DomainError("应选项目数须为正整数。", field="places")
    if electorate < 1:
        raise DomainError("全体代表人数须为正整数。", field="electorate")
    if len(candidates) <= places:
        raise DomainError(f"候选项目数（{len(candidates)}）须多于应选项目数（{places}）：实行差额票决。",
                          field="candidates")
    if window is not None and window.council_id != council.pk:
        raise DomainError("所选征集不属于本机构。", field="window")
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError("结束时间须晚于开始时间。", field="closes_at")
    vote = Vote.objects.create(council=council, window=window, title=_text(title, "title", "表决名称", required=True),
                               places=places, electorate=electorate, opens_at=opens_at, closes_at=closes_at)
    width = max(2, len(str(len(candidates))))
    seen: set[int] = set()
    for number, item in enumerate(candidates, start=1):
        suggestion = item.suggestion
        if suggestion is not None:
            if suggestion.pk in seen:
                raise DomainError(f"第 {number} 个候选项目与前面的重复。", field="candidates")
            seen.add(suggestion.pk)
            if window is not None and suggestion.window_id != window.pk:
                raise DomainError(f"第 {number} 个候选项目不是本次征集（{window.year} 年度）的项目建议。",
                                  field="candidates")
        if suggestion is not None and (suggestion.council_id != council.pk
                                       or suggestion.screening != Screening.ACCEPTED):
            raise DomainError(f"第 {number} 个候选项目未经审查列入候选。", field="candidates")
        if item.unit is not None and item.unit.council_id != council.pk:
            raise DomainError(f"第 {number} 个候选项目的责任单位不属于本机构。", field="candidates")
        name = item.title or (suggestion.title if suggestion else "")
        investment = item.investment if item.investment is not None else (
            suggestion.investment if suggestion else None)
        Candidate.objects.create(
            vote=vote, code=str(number).zfill(width), suggestion=suggestion,
            title=_text(name, "candidates", f"第 {number} 个候选项目的名称", required=True),
            investment=_money(investment, "candidates", "投资") or Decimal(0), completion=item.completion,
            unit=item.unit or (suggestion.proposed_unit if suggestion else None))
    audit.record(vote, "livelihood_vote_created", actor=actor,
                 new={"places": places, "electorate": electorate, "candidates": len(candidates)})
    return vote


def _locked(vote: Vote) -> Vote:
    return Vote.objects.select_for_update().get(pk=vote.pk)


@transaction.atomic
def approve_list(actor: Any, vote: Vote, *, meeting_on: date | None = None) -> Vote:
    """The standing committee's meeting of ``meeting_on`` (a past or today's date; ``None``: not recorded)
    approved the candidate list: the vote may now open. A date after today is refused (field
    ``meeting_on``); a list approved already → :class:`ConflictError`."""
    _require_staff(actor, vote.council_id)
    if meeting_on is not None and meeting_on > timezone.localdate():
        raise DomainError("常委会会议日期不能晚于今天。", field="meeting_on")
    vote = _locked(vote)
    if vote.list_approved_at is not None:
        raise ConflictError("候选名单已经通过。")
    vote.list_approved_at = timezone.now()
    vote.list_meeting_on = meeting_on
    vote.save(update_fields=["list_approved_at", "list_meeting_on"])
    audit.record(vote, "livelihood_list_approved", actor=actor,
                 new={"meeting_on": meeting_on.isoformat() if meeting_on else None})
    return vote


@transaction.atomic
def open_vote(actor: Any, vote: Vote) -> Vote:
    """The presiding officer declares the vote open."""
    _require_officer(actor, vote.council_id)
    vote = _locked(vote)
    if vote.list_approved_at is None:
        raise DomainError("候选名单尚未通过，不能开始表决。")
    if vote.is_closed():
        raise DomainError("表决已经结束。")
    if vote.opened_at is not None:
        raise ConflictError("表决已经开始。")
    vote.opened_at = timezone.now()
    vote.save(update_fields=["opened_at"])
    audit.record(vote, "livelihood_vote_opened", actor=actor)
    return vote


@transaction.atomic
def close_vote(actor: Any, vote: Vote) -> Vote:
    """The presiding officer declares the vote closed (or confirms a scheduled closing); the ballots are
    counted at once. Locks the vote: ballots still being written finish first and are counted."""
    _require_officer(actor, vote.council_id)
    vote = _locked(vote)
    if vote.closed_at is not None:
        raise ConflictError("表决已经结束。")
    if vote.opened_at is None and not vote.is_open() and not vote.is_closed():
        raise DomainError("表决尚未开始。")
    vote.closed_at = timezone.now()
    vote.save(update_fields=["closed_at"])
    audit.record(vote, "livelihood_vote_closed", actor=actor)
    _count(vote)
    return vote


def _marks(vote: Vote, marks: Mapping[str, str | None], codes: Sequence[str]) -> dict[str, str]:
    """Check an online ballot: every code on the list, every mark 赞成/反对/弃权 (empty = 弃权), at most
    ``places`` 赞成. An online ballot is checked before it is cast (a paper one is counted as marked)."""
    unknown = sorted(set(marks) - set(codes))
    if unknown:
        raise DomainError(f"候选项目编号不存在：{'、'.join(unknown)}。", field="marks")
    clean: dict[str, str] = {}
    for code in codes:
        mark = (marks.get(code) or "").strip() or "弃权"
        if mark not in MARKS:
            raise DomainError(f"第 {code} 号项目的表决意见应为赞成、反对或弃权。", field="marks")
        clean[code] = mark
    yes = sum(1 for m in clean.values() if m == YES)
    if yes > vote.places:
        raise DomainError(f"赞成票不能多于应选项目数：应选 {vote.places} 项，您赞成了 {yes} 项。", field="marks")
    return clean


def cast_ballot(actor: Any, vote: Vote, marks: Mapping[str, str | None]) -> str:
    """A deputy votes online; returns the receipt code (回执码) to verify later that the ballot was counted.

    ``marks`` maps candidate codes to 赞成/反对/弃权 (missing or empty = 弃权). Refused: not a deputy of the
    council (403), the vote not open or closed, an unknown code, another mark, more 赞成 than places, a
    second ballot (409). The roll row (who) and the ballot (what, anonymous) are written in one
    transaction; the unique roll row makes a second ballot impossible even when two arrive at once.
    """
    deputy = deputy_of(actor, vote.council_id)
    if deputy is None:
        raise ForbiddenError("只有本级人大代表可以投票。")
    codes = list(Candidate.objects.filter(vote=vote).order_by("code").values_list("code", flat=True))
    clean = _marks(vote, marks, codes)
    try:
        with transaction.atomic():
            current = Vote.objects.get(pk=vote.pk)
            if not current.is_open():
                raise DomainError("表决已经结束。" if current.is_closed() else "表决尚未开始。")
            if VoteRoll.objects.filter(vote=current).count() >= current.electorate:
                raise DomainError(f"投票人数已达全体代表人数（{current.electorate} 名），请核对全体代表人数。")
            roll = VoteRoll.objects.create(vote=current, member=deputy, channel=Channel.ONLINE)
            ballot = Ballot.objects.create(vote=current, channel=Channel.ONLINE, marks=clean)
            # The insert holds a key-share lock on the vote: a close waits for this transaction. If the
            # close committed between the check above and the insert, the vote is closed now: refuse.
            if Vote.objects.filter(pk=vote.pk, closed_at__isnull=False).exists():
                raise DomainError("表决已经结束。")
            audit.record(roll, "livelihood_voted", actor=actor, council_id=vote.council_id)
    except IntegrityError:
        raise ConflictError("您已经投过票（或已领取纸质选票），每位代表只能投一次票。") from None
    return ballot.receipt


def has_voted(actor: Any, vote: Vote) -> bool:
    """Whether ``actor``'s deputy is on the vote's roll (voted online or received a paper ballot)."""
    deputy = deputy_of(actor, vote.council_id)
    return deputy is not None and VoteRoll.objects.filter(vote=vote, member=deputy).exists()


def verify_receipt(vote: Vote, receipt: str) -> bool:
    """Whether a ballot with this receipt code is among the ballots of ``vote`` (and so counted once the
    vote is counted). Says nothing of its marks: a receipt must not prove to a third party how one voted."""
    code = (receipt or "").strip().upper()
    return bool(code) and Ballot.objects.filter(vote=vote, receipt=code).exists()


@transaction.atomic
def issue_paper_ballots(actor: Any, vote: Vote, members: Sequence[Member]) -> int:
    """Staff record the paper ballots issued (发出选票), one per deputy, each on the roll so that deputy
    cannot also vote online. Returns the number issued. Refused after the count is published, for a
    deputy of another council, or one already on the roll (voted online or already issued)."""
    _require_staff(actor, vote.council_id)
    vote = _locked(vote)
    if vote.published_at is not None:
        raise DomainError("表决结果已公布，不能再发出选票。")
    if vote.is_closed():
        raise DomainError("表决已经结束，不能再发出选票。")
    if VoteRoll.objects.filter(vote=vote).count() + len(members) > vote.electorate:
        raise DomainError(f"发出选票将多于全体代表人数（{vote.electorate} 名）。", field="members")
    for member in members:
        if member.council_id != vote.council_id:
            raise DomainError(f"{member.name} 不是本级人大代表。", field="members")
        if VoteRoll.objects.filter(vote=vote, member=member).exists():
            raise DomainError(f"{member.name} 已经投票或已领取选票。", field="members")
        VoteRoll.objects.create(vote=vote, member=member, channel=Channel.PAPER)
    audit.record(vote, "livelihood_paper_issued", actor=actor, new={"issued": len(members)})
    return len(members)


@transaction.atomic
def import_tally(actor: Any, vote: Vote, source: IO[bytes], *, filename: str = "") -> PaperTally:
    """Import the tally workbook of the paper ballots (format of ``lvzhi count-votes``), after the vote is
    closed and before the result is published; then count again. Refused: a workbook that cannot be read
    (message of :mod:`.tally`), a header whose candidate numbers differ from the list, the same file
    imported twice, a ballot number already imported. Invalid ballots (√ etc.) are kept and counted as
    invalid."""
    _require_staff(actor, vote.council_id)
    vote = _locked(vote)
    if not vote.is_closed():
        raise DomainError("表决结束后才能导入纸质选票计票表。")
    if vote.published_at is not None:
        raise DomainError("表决结果已公布，不能再导入计票表。")
    data = source.read()
    digest = hashlib.sha256(data).hexdigest()
    if PaperTally.objects.filter(vote=vote, digest=digest).exists():
        raise ConflictError("该计票表已经导入过，不能重复导入。")
    import io

    try:
        tally = read_tally(io.BytesIO(data))
    except CountingError as error:
        raise DomainError(error.message, field="file") from None
    codes = list(vote.candidates.order_by("code").values_list("code", flat=True))
    if sorted(tally.codes) != codes:
        unknown = [c for c in tally.codes if c not in codes]
        missing = [c for c in codes if c not in tally.codes]
        detail = "；".join(part for part in (
            f"名单中没有的编号：{'、'.join(unknown)}" if unknown else "",
            f"缺少的编号：{'、'.join(missing)}" if missing else "") if part)
        raise DomainError(f"计票表表头与候选名单不符（{detail}）。", field="file")
    numbers = [n for n in tally.ballot_ids if n]
    used = set(Ballot.objects.filter(vote=vote, paper_number__in=numbers).values_list("paper_number", flat=True))
    if used:
        raise ConflictError(f"选票编号已经导入过：{'、'.join(sorted(used)[:5])}。")
    record = PaperTally.objects.create(vote=vote, digest=digest, filename=filename[:200],
                                       ballots=len(tally.ballots), imported_by=actor)
    Ballot.objects.bulk_create([
        Ballot(vote=vote, channel=Channel.PAPER, tally=record, paper_number=number or "",
               marks={code: mark for code, mark in zip(tally.codes, marks, strict=True)})
        for number, marks in zip(tally.ballot_ids, tally.ballots, strict=True)])
    audit.record(vote, "livelihood_tally_imported", actor=actor, new={"ballots": len(tally.ballots),
                                                                     "digest": digest})
    _count(vote)
    return record


def tally_of(vote: Vote) -> VoteCount:
    """Count the vote's ballots now with :func:`.counting.count_votes` (same code as ``lvzhi count-votes``):
    candidates in code order, the issued ballots = the roll (online voters + paper ballots issued)."""
    codes = list(vote.candidates.order_by("code").values_list("code", flat=True))
    ballots = [[marks.get(code) for code in codes]
               for marks in Ballot.objects.filter(vote=vote).values_list("marks", flat=True)]
    # Never more issued than deputies (refused when casting and issuing; two last voters racing could
    # still pass): bounded by the electorate, so more ballots than deputies make the vote void.
    issued = min(VoteRoll.objects.filter(vote=vote).count(), vote.electorate)
    return count_votes(codes, ballots, places=vote.places, electorate=vote.electorate, issued=issued)


def _count(vote: Vote) -> VoteCount:
    result = tally_of(vote)
    vote.result = result.as_json()
    vote.counted_at = timezone.now()
    vote.save(update_fields=["result", "counted_at"])
    by_code = {c.code: c for c in result.candidates}
    for candidate in vote.candidates.all():
        c = by_code.get(candidate.code)
        candidate.yes, candidate.no, candidate.abstain = (c.yes, c.no, c.abstain) if c else (0, 0, 0)
        candidate.outcome = c.result.value if c else ""
        candidate.save(update_fields=["yes", "no", "abstain", "outcome"])
    audit.record(vote, "livelihood_counted", actor=None, new={"void": result.void, "ballots": result.ballots})
    return result


@transaction.atomic
def publish_result(actor: Any, vote: Vote) -> Vote:
    """Announce the counted result (公布); the ballots stay with it for audit."""
    _require_officer(actor, vote.council_id)
    vote = _locked(vote)
    if vote.closed_at is None or vote.result is None:
        raise DomainError("表决结束并计票后才能公布结果。")
    if vote.published_at is not None:
        raise ConflictError("结果已经公布。")
    vote.published_at = timezone.now()
    vote.save(update_fields=["published_at"])
    audit.record(vote, "livelihood_published", actor=actor, new=vote.result)
    return vote


@transaction.atomic
def start_revote(actor: Any, vote: Vote, *, title: str = "") -> Vote:
    """A new vote among the candidates tied across the last place, for the places they compete for
    (选举法 第四十五条: 票数相等…就票数相等的候选人再次投票), on the same list (same numbers, units,
    investment); approved already, to be opened by the presiding officer."""
    _require_staff(actor, vote.council_id)
    vote = _locked(vote)
    tied = list(vote.candidates.filter(outcome="tie").order_by("code"))
    if vote.published_at is None or not tied:
        raise DomainError("只有已公布且有票数相等项目的表决才能再次投票。")
    if vote.revotes.exists():
        raise ConflictError("已经就票数相等的项目发起再次投票。")
    elected = vote.candidates.filter(outcome="elected").count()
    revote = Vote.objects.create(council_id=vote.council_id, window=vote.window, parent=vote,
                                 title=_text(title, "title", "表决名称") or f"{vote.title}（再次投票）"[:200], places=vote.places - elected,
                                 electorate=vote.electorate, list_approved_at=timezone.now())
    for c in tied:
        Candidate.objects.create(vote=revote, code=c.code, title=c.title, suggestion=c.suggestion,
                                 investment=c.investment, completion=c.completion, unit=c.unit)
    audit.record(revote, "livelihood_revote_created", actor=actor, new={"parent": vote.pk,
                                                                       "candidates": [c.code for c in tied]})
    return revote


# --- satisfaction evaluation -----------------------------------------------------------------------------

def project_year(candidate: Candidate) -> int:
    """The year of a project on a candidate list: its collection's year, else the year its vote was set up."""
    vote = candidate.vote
    return vote.window.year if vote.window_id and vote.window else timezone.localdate(vote.created_at).year


@transaction.atomic
def create_evaluation(actor: Any, council: Council, *, year: int, projects: Sequence[Candidate],
                      electorate: int, title: str = "") -> Evaluation:
    """The year-end satisfaction evaluation (满意度测评) of elected projects of ``council``."""
    _require_staff(actor, council.pk)
    if not projects:
        raise DomainError("请选择测评项目。", field="projects")
    for p in projects:
        if p.vote.council_id != council.pk or p.outcome != "elected":
            raise DomainError(f"“{p.title}”不是本机构票决产生的项目。", field="projects")
        if project_year(p) != year:
            raise DomainError(f"“{p.title}”不是 {year} 年度的项目。", field="projects")
    if electorate < 1:
        raise DomainError("全体代表人数须为正整数。", field="electorate")
    evaluation = Evaluation.objects.create(council=council, year=year, electorate=electorate,
                                           title=_text(title, "title", "测评名称") or f"{year} 年度民生实事项目满意度测评")
    evaluation.projects.set(projects)
    audit.record(evaluation, "livelihood_evaluation_created", actor=actor, new={"projects": len(projects)})
    return evaluation


@transaction.atomic
def open_evaluation(actor: Any, evaluation: Evaluation) -> Evaluation:
    _require_officer(actor, evaluation.council_id)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.opened_at is not None:
        raise ConflictError("测评已经开始。")
    evaluation.opened_at = timezone.now()
    evaluation.save(update_fields=["opened_at"])
    audit.record(evaluation, "livelihood_evaluation_opened", actor=actor)
    return evaluation


def submit_evaluation(actor: Any, evaluation: Evaluation, ratings: Mapping[str, str | None] | Mapping[int, str | None]) -> str:
    """A deputy's satisfaction form: per project id 满意/基本满意/不满意 (a project left empty is not
    rated on this form). Secret like the vote (roll apart from the anonymous form); returns the receipt.
    Refused: not a deputy, not open, an unknown project or rating, a second form."""
    deputy = deputy_of(actor, evaluation.council_id)
    if deputy is None:
        raise ForbiddenError("只有本级人大代表可以参加测评。")
    ids = {str(pk) for pk in evaluation.projects.values_list("pk", flat=True)}
    clean: dict[str, str] = {}
    for key, value in dict(ratings).items():
        if str(key) not in ids:
            raise DomainError(f"测评项目不存在：{key}。", field="ratings")
        mark = (value or "").strip()
        if mark and mark not in RATINGS:
            raise DomainError("测评意见应为满意、基本满意或不满意。", field="ratings")
        if mark:
            clean[str(key)] = mark
    try:
        with transaction.atomic():
            current = Evaluation.objects.get(pk=evaluation.pk)
            if not current.is_open():
                raise DomainError("测评未在进行中。")
            roll = EvaluationRoll.objects.create(evaluation=current, member=deputy)
            form = EvaluationForm.objects.create(evaluation=current, ratings=clean)
            if Evaluation.objects.filter(pk=evaluation.pk, closed_at__isnull=False).exists():
                raise DomainError("测评已经结束。")
            audit.record(roll, "livelihood_evaluated", actor=actor, council_id=evaluation.council_id)
    except IntegrityError:
        raise ConflictError("您已经提交过测评表，每位代表只能提交一次。") from None
    return form.receipt


@transaction.atomic
def close_evaluation(actor: Any, evaluation: Evaluation) -> Evaluation:
    """Close and count: per project :func:`.counting.count_satisfaction` over the forms that rate it."""
    _require_officer(actor, evaluation.council_id)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not evaluation.is_open():
        raise DomainError("测评未在进行中。")
    evaluation.closed_at = timezone.now()
    forms = list(evaluation.forms.values_list("ratings", flat=True))
    result: dict[str, dict[str, object]] = {}
    for project in evaluation.projects.all():
        s = count_satisfaction([f.get(str(project.pk)) for f in forms])
        result[str(project.pk)] = {"title": project.title, "forms": s.forms, "valid": s.valid,
                                   "satisfied": s.satisfied, "fairly_satisfied": s.fairly_satisfied,
                                   "dissatisfied": s.dissatisfied, "result": s.result}
    evaluation.result = result
    evaluation.save(update_fields=["closed_at", "result"])
    audit.record(evaluation, "livelihood_evaluation_closed", actor=actor, new={"forms": len(forms)})
    return evaluation


# --- delivery (实施): elected projects as cases on the handling core ----------------------------------------

@transaction.atomic
def start_delivery(actor: Any, candidate: Candidate, *, co_units: Sequence[HandlingUnit] = ()) -> DeliveryProject:
    """Make an elected project (of a published vote) a case of type ``livelihood_project``: numbered per
    year (``2024-MS01`` by default), and assigned through the core to its responsible unit — as the lead
    unit with ``co_units`` as co-responsible units, or as the sole unit. Refused for a project not elected
    or already in delivery, or without a responsible unit; staff only."""
    from lvzhi.cases import actions as cases
    from lvzhi.cases.policy import policy_for, take_number, workflow_for
    from lvzhi.livelihood.defaults import CASE_TYPE

    vote = candidate.vote
    _require_staff(actor, vote.council_id)
    if candidate.outcome != "elected" or vote.published_at is None:
        raise DomainError("只有已公布票决结果中当选的项目才能交付实施。", field="candidate")
    if DeliveryProject.objects.filter(candidate=candidate).exists():
        raise ConflictError("该项目已经交付实施。")
    if candidate.unit is None:
        raise DomainError("该项目没有责任单位，请先确定责任单位。", field="unit")
    year = vote.window.year if vote.window else timezone.localdate().year
    workflow = workflow_for(vote.council_id, CASE_TYPE)
    project = DeliveryProject.objects.create(
        council_id=vote.council_id, candidate=candidate, workflow=workflow, state=workflow.initial_state(),
        title=candidate.title, year=year, investment=candidate.investment, due=candidate.completion,
        created_by=actor)
    project.number = take_number(project, policy_for(vote.council_id, CASE_TYPE))
    project.save(update_fields=["number"])
    audit.record(project, "created", actor=actor, to_state=project.state.code,
                 new={"title": project.title, "number": project.number})
    plan = [(candidate.unit, "sole")] if not co_units else [
        (candidate.unit, "lead"), *[(u, "co") for u in co_units if u.pk != candidate.unit_id]]
    cases.assign(actor, DeliveryProject, project.pk, plan)
    project.refresh_from_db()
    return project


def _project_for(actor: Any, project: DeliveryProject, *, units: bool) -> DeliveryProject:
    from lvzhi.cases.actions import lock

    locked: DeliveryProject = lock(DeliveryProject, project.pk, actor)
    roles = locked.roles_of(actor)
    allowed = {"staff"} | ({"unit_clerk", "unit_leader"} if units else set())
    if not roles & allowed:
        raise ForbiddenError("只有本项目的责任单位或代表工作机构可以办理此事项。")
    if locked.state.is_terminal:
        raise DomainError("项目已办结。", field="state")
    return locked


@transaction.atomic
def add_milestone(actor: Any, project: DeliveryProject, *, title: str, due: date) -> Milestone:
    """Add a step to the delivery plan (staff or a responsible unit)."""
    project = _project_for(actor, project, units=True)
    milestone = Milestone.objects.create(project=project, title=_text(title, "title", "节点名称", required=True),
                                         due=due)
    audit.record(project, "milestone_added", actor=actor, new={"title": milestone.title, "due": due})
    return milestone


@transaction.atomic
def complete_milestone(actor: Any, milestone: Milestone, *, done_on: date | None = None) -> Milestone:
    """Record that a milestone was reached (today unless ``done_on``; not in the future)."""
    project = _project_for(actor, milestone.project, units=True)
    day = done_on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError("完成日期不能晚于今天。", field="done_on")
    if milestone.done_on is not None:
        raise ConflictError("该节点已经完成。")
    milestone.done_on = day
    milestone.save(update_fields=["done_on"])
    audit.record(project, "milestone_done", actor=actor, new={"title": milestone.title, "done_on": day})
    return milestone


@transaction.atomic
def report_progress(actor: Any, project: DeliveryProject, *, month: date, percent: int, text: str = "",
                    problems: str = "", photos: Sequence[tuple[str, bytes]] = ()) -> ProgressReport:
    """A responsible unit's monthly progress report (one per month; sending it again replaces it): percent
    done 0–100, what was done, problems met, and ``photos`` as ``(file name, bytes)`` — JPEG or PNG, checked
    and stripped of their metadata by :func:`lvzhi.livelihood.photos.clean_photo`, added to the month's
    photos (at most :data:`~lvzhi.livelihood.photos.MAX_PHOTOS`). Refused while the project is not in a
    state where units report (``State.units_may_reply``)."""
    from django.core.files.base import ContentFile

    from lvzhi.livelihood.photos import MAX_PHOTOS, clean_photo

    cleaned = [(name, *clean_photo(data, name)) for name, data in photos]
    project = _project_for(actor, project, units=True)
    if not project.state.units_may_reply:
        raise DomainError(f"项目处于「{project.state.name}」状态，不能报送进展。", field="state")
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise DomainError("完成进度须为 0 到 100 之间的整数。", field="percent")
    first = month.replace(day=1)
    if first > timezone.localdate():
        raise DomainError("不能报送将来月份的进展。", field="month")
    report, created = ProgressReport.objects.update_or_create(
        project=project, month=first, defaults={"percent": percent, "reported_by": actor,
                                                "reported_at": timezone.now(),
                                                "text": _text(text, "text", "进展情况", max_length=5000),
                                                "problems": _text(problems, "problems", "存在问题", max_length=5000)})
    if cleaned and report.photos.count() + len(cleaned) > MAX_PHOTOS:
        raise DomainError(f"每月进展最多附 {MAX_PHOTOS} 张照片（已有 {report.photos.count()} 张）。", field="photos")
    for name, data, content_type in cleaned:
        photo = ProgressPhoto(report=report, name=name[:255] or "photo", size=len(data), content_type=content_type,
                              uploaded_by=actor if getattr(actor, "pk", None) else None)
        photo.file.save("photo", ContentFile(data), save=False)
        photo.save()
    audit.record(project, "progress_reported", actor=actor, new={"month": first, "percent": percent,
                                                                 "replaced": not created, "photos": len(cleaned)})
    return report


# --- micro projects (民生微实事) ----------------------------------------------------------------------------

@transaction.atomic
def create_batch(actor: Any, council: Council, *, year: int, number: int, title: str = "") -> MicroBatch:
    """A batch (批次) of micro projects; one number per council and year."""
    _require_staff(actor, council.pk)
    if MicroBatch.objects.filter(council=council, year=year, number=number).exists():
        raise DomainError(f"{year} 年第 {number} 批已经设立。", field="number")
    batch = MicroBatch.objects.create(council=council, year=year, number=number,
                                      title=_text(title, "title", "批次名称") or f"{year} 年第 {number} 批民生微实事")
    audit.record(batch, "micro_batch_created", actor=actor, new={"year": year, "number": number})
    return batch


@transaction.atomic
def propose_micro(actor: Any, batch: MicroBatch, *, title: str, content: str = "", place: str = "",
                  investment: object = None, people_served: int = 0, member: Member | None = None) -> MicroProject:
    """A deputy proposes a micro project in ``batch`` (staff may enter one for a deputy ``member`` or for a
    station or town). It starts in the workflow's initial state, to be approved or declined by staff."""
    from lvzhi.cases.policy import policy_for, workflow_for
    from lvzhi.livelihood.defaults import MICRO_CASE_TYPE

    council_id = batch.council_id
    deputy = deputy_of(actor, council_id)
    if is_council_staff(actor, council_id):
        if member is not None and member.council_id != council_id:
            raise DomainError("提出代表须为本机构的代表。", field="member")
    elif deputy is not None:
        member = deputy
    else:
        raise ForbiddenError("只有本级人大代表或代表工作机构可以提出民生微实事。")
    if not isinstance(people_served, int) or people_served < 0:
        raise DomainError("服务人数须为不小于 0 的整数。", field="people_served")
    workflow = workflow_for(council_id, MICRO_CASE_TYPE)
    policy_for(council_id, MICRO_CASE_TYPE)
    project = MicroProject.objects.create(
        council_id=council_id, batch=batch, workflow=workflow, state=workflow.initial_state(),
        title=_text(title, "title", "项目名称", required=True), content=_text(content, "content", "项目内容",
                                                                              max_length=5000),
        place=_text(place, "place", "联络站或镇（街）"), member=member,
        investment=_money(investment, "investment", "投资") or Decimal(0), people_served=people_served,
        created_by=actor)
    audit.record(project, "created", actor=actor, to_state=project.state.code, new={"title": project.title})
    return project


def approve_micro(actor: Any, project: MicroProject) -> MicroProject:
    """Staff approve a proposed micro project (act ``approve``); entering a numbering state it is numbered
    (``2024-WS001`` by default)."""
    from lvzhi.cases.actions import check_move, lock
    from lvzhi.cases.policy import policy_for, take_number
    from lvzhi.livelihood.defaults import MICRO_CASE_TYPE
    from lvzhi.workflow import engine

    with transaction.atomic():
        case: MicroProject = lock(MicroProject, project.pk, actor)
        transition = check_move(case, actor, "approve")
        changes: dict[str, Any] = {}
        if transition.target.takes_number and not case.number:
            changes["number"] = take_number(case, policy_for(case.council_id, MICRO_CASE_TYPE))
        engine.move(case, "approve", actor=actor, changes=changes)
        return case


def decline_micro(actor: Any, project: MicroProject, *, reason: str) -> MicroProject:
    """Staff decline a proposed micro project with the reason (act ``decline``)."""
    from lvzhi.cases.actions import check_move, lock
    from lvzhi.workflow import engine

    with transaction.atomic():
        case: MicroProject = lock(MicroProject, project.pk, actor)
        check_move(case, actor, "decline")
        engine.move(case, "decline", actor=actor, comment=_text(reason, "reason", "理由", required=True,
                                                                max_length=2000))
        return case


def report_micro_progress(actor: Any, project: MicroProject, *, percent: int) -> MicroProject:
    """A responsible unit (or staff) reports the percent done (0–100) while units deliver
    (``State.units_may_reply``)."""
    from lvzhi.cases.actions import lock
    from lvzhi.workflow import engine

    with transaction.atomic():
        case: MicroProject = lock(MicroProject, project.pk, actor)
        if not case.roles_of(actor) & {"staff", "unit_clerk", "unit_leader"}:
            raise ForbiddenError("只有本项目的责任单位或代表工作机构可以报送进度。")
        if not case.state.units_may_reply:
            raise DomainError(f"项目处于「{case.state.name}」状态，不能报送进度。", field="state")
        if not isinstance(percent, int) or not 0 <= percent <= 100:
            raise DomainError("完成进度须为 0 到 100 之间的整数。", field="percent")
        engine.update(case, {"percent": percent}, actor=actor, event="progress_reported")
        return case


@transaction.atomic
def carry_over(actor: Any, project: ProjectSuggestion, window: CollectionWindow) -> ProjectSuggestion:
    """Take an item of the standing project pool (项目库: screened ``转入项目库`` in an earlier year) into a
    later collection of the same council, as a new suggestion to be screened again (``carried_from`` keeps
    the link). Refused for an item not in the pool, an earlier or the same year, or one carried already."""
    _require_staff(actor, window.council_id)
    if project.council_id != window.council_id or project.screening != Screening.POOL:
        raise DomainError("只有本机构项目库中的项目可以转入。", field="project")
    if project.window.year >= window.year:
        raise DomainError("只能转入以后年度的征集。", field="window")
    if project.carried_to.exists():
        raise ConflictError("该项目已经转入过。")
    copy = ProjectSuggestion.objects.create(
        window=window, council_id=window.council_id, title=project.title, content=project.content,
        place=project.place, investment=project.investment, beneficiaries=project.beneficiaries,
        proposed_unit=project.proposed_unit, source=project.source, member=project.member,
        proposer_name=project.proposer_name, proposer_contact=project.proposer_contact,
        created_by=actor, carried_from=project)
    audit.record(copy, "livelihood_project_carried_over", actor=actor, new={"from": project.pk,
                                                                           "year": window.year})
    return copy


# --- supervision: inspections, supervision week, special inquiries, findings followed to correction -------

@transaction.atomic
def record_supervision(actor: Any, council: Council, *, kind: str, title: str, held_on: date,
                       projects: Sequence[DeliveryProject], record: str = "") -> SupervisionActivity:
    """Record an inspection (视察), the supervision week (监督周) or a special inquiry (专题询问) on delivery
    projects of ``council`` (staff)."""
    _require_staff(actor, council.pk)
    if kind not in SupervisionKind.values:
        raise DomainError("请选择监督形式：视察、监督周或专题询问。", field="kind")
    if any(p.council_id != council.pk for p in projects):
        raise DomainError("监督的项目须为本机构的民生实事项目。", field="projects")
    activity = SupervisionActivity.objects.create(council=council, kind=kind, held_on=held_on, created_by=actor,
                                                  title=_text(title, "title", "名称", required=True),
                                                  record=_text(record, "record", "情况记录", max_length=20000))
    activity.projects.set(projects)
    audit.record(activity, "supervision_recorded", actor=actor, new={"kind": kind, "projects": len(projects)})
    return activity


@transaction.atomic
def add_finding(actor: Any, activity: SupervisionActivity, *, unit: HandlingUnit, text: str, due: date,
                project: DeliveryProject | None = None) -> Finding:
    """A problem found, assigned to ``unit`` to correct by ``due`` (staff); the unit's people are told."""
    from lvzhi.cases import people

    _require_staff(actor, activity.council_id)
    if unit.council_id != activity.council_id:
        raise DomainError("整改单位须为本机构的承办单位。", field="unit")
    if project is not None and not activity.projects.filter(pk=project.pk).exists():
        raise DomainError("该项目不在本次监督活动中。", field="project")
    finding = Finding.objects.create(activity=activity, project=project, unit=unit, due=due,
                                     text=_text(text, "text", "问题", required=True, max_length=5000))
    audit.record(activity, "finding_added", actor=actor, new={"unit": unit.name, "due": due})
    audit.notify(people.unit_users([unit.pk]), "finding", f"监督发现问题，请于 {due:%Y-%m-%d} 前整改：{finding.text[:60]}",
                 url=reverse("livelihood-supervision", args=[activity.pk]))
    return finding


@transaction.atomic
def report_correction(actor: Any, finding: Finding, *, text: str) -> Finding:
    """The unit reports how it corrected the problem (its clerk or leader)."""
    from lvzhi.cases import people

    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.unit_id not in people.unit_roles(actor):
        raise ForbiddenError("只有整改单位可以报告整改情况。")
    if finding.status != FindingStatus.OPEN:
        raise ConflictError("该问题的整改情况已经报告。")
    finding.correction = _text(text, "text", "整改情况", required=True, max_length=5000)
    finding.status, finding.reported_at = FindingStatus.REPORTED, timezone.now()
    finding.save(update_fields=["correction", "status", "reported_at"])
    audit.record(finding.activity, "correction_reported", actor=actor, new={"finding": finding.pk})
    return finding


@transaction.atomic
def confirm_correction(actor: Any, finding: Finding, *, accepted: bool, comment: str = "") -> Finding:
    """Staff confirm the correction (整改完成) or send it back open with ``comment``."""
    _require_staff(actor, finding.activity.council_id)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != FindingStatus.REPORTED:
        raise DomainError("整改单位尚未报告整改情况。", field="status")
    if accepted:
        finding.status, finding.confirmed_at = FindingStatus.CORRECTED, timezone.now()
    else:
        comment = _text(comment, "comment", "退回意见", required=True, max_length=2000)
        finding.status, finding.return_comment = FindingStatus.OPEN, comment
    finding.save(update_fields=["status", "confirmed_at", "return_comment"])
    audit.record(finding.activity, "correction_confirmed" if accepted else "correction_returned", actor=actor,
                 comment=comment, new={"finding": finding.pk})
    return finding
