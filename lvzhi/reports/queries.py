"""The statistics (数读) of a council, computed from the records (reads only): proposals here, public-opinion
reports and citizens' messages from :mod:`lvzhi.opinions.queries`, together in :func:`council_statistics`.

Every figure follows ``shared/domain/WORKFLOWS.md`` §8 and is reproducible for any council, term, session and
date range: :func:`proposal_statistics` runs a fixed number of aggregate queries (about a dozen, whatever the
number of proposals) over the rows the proposal actions wrote. Nothing is counted by hand elsewhere.

Shapes: counts are ``int``; every ``*_rate`` / ``*_share`` / ``share`` is a **ratio in 0..1** (``None`` when
its denominator is 0), shown as a percent with one decimal by :func:`percent`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from lvzhi.core.errors import DomainError
from lvzhi.members.choices import CouncilKind
from lvzhi.members.models import Council, Member, Session, Term
from lvzhi.opinions.queries import message_statistics, opinion_statistics
from lvzhi.proposals.choices import (
    AssignmentRole,
    AssignmentStatus,
    CoSignStatus,
    NotFiledGround,
    ProposerKind,
    ReplyStatus,
    Satisfaction,
)
from lvzhi.proposals.models import Assignment, Category, CoSigner, Evaluation, Proposal, Reply
from lvzhi.workflow.engine import states_entered_by
from lvzhi.workflow.models import ReplyGrade

#: A proposal counts as received while its state says so (计入收件: not a draft, not withdrawn by default).
RECEIVED = Q(state__counts_as_received=True)
#: A received proposal still awaiting the review decision (state flag 审查中: 待审查, 退回修改 by default).
UNDER_REVIEW = Q(state__under_review=True)
#: Assignment statuses that do not make a unit a handling unit of the case (撤销, 申退).
INACTIVE_ASSIGNMENT_STATUSES = (AssignmentStatus.WITHDRAWN, AssignmentStatus.SENT_BACK)
#: Roles that make a unit the lead unit (主办) of a case: lead, or sole (单办).
LEAD_ROLES = (AssignmentRole.LEAD, AssignmentRole.SOLE)
#: Satisfaction verdicts counted as satisfied for the first-time satisfaction rate.
SATISFIED_VERDICTS = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


def ratio(part: int, whole: int) -> float | None:
    """``part / whole`` as a ratio in 0..1, or ``None`` when ``whole`` is 0 (no denominator, no rate)."""
    return part / whole if whole else None


def percent(value: float | None, digits: int = 1) -> str:
    """A ratio (0..1) shown as a percent with ``digits`` decimals (``0.8317`` → ``"83.2%"``); ``"—"`` for None."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


@dataclass(frozen=True)
class StatsScope:
    """What was counted: one council, optionally one term or session, and a range of submission dates
    (local dates, both ends inclusive). ``as_of`` is the day against which deadlines are judged overdue."""

    council_id: int
    council_name: str
    term_id: int | None = None
    term_number: int | None = None
    session_id: int | None = None
    session_number: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    as_of: date | None = None

    def label(self) -> str:
        """The scope in words, e.g. ``测试市政协 第14届 第3次会议 2026-01-01 至 2026-03-31``."""
        parts = [self.council_name]
        if self.term_number is not None:
            parts.append(f"第{self.term_number}届")
        if self.session_number is not None:
            parts.append(f"第{self.session_number}次会议")
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '…'} 至 {self.date_to or '…'}")
        return " ".join(parts)

    def dates_label(self) -> str:
        """The council and the dates only (what the report and message figures are counted over), e.g.
        ``测试市政协 2026-01-01 至 …`` or ``测试市政协 全部日期``."""
        if self.date_from or self.date_to:
            return f"{self.council_name} {self.date_from or '…'} 至 {self.date_to or '…'}"
        return f"{self.council_name} 全部日期"


@dataclass(frozen=True)
class CountRow:
    """One line of a breakdown: ``count`` items with this ``key``; ``share`` = count / the table's base (0..1)."""

    key: str
    label: str
    count: int
    share: float | None

    @property
    def share_percent(self) -> str:
        """``share`` as a percent with one decimal (``"—"`` without a base)."""
        return percent(self.share)


@dataclass(frozen=True)
class CategoryRow:
    """Received and filed proposals of one subject category; ``share`` = received / all received (0..1)."""

    key: str
    label: str
    received: int
    filed: int
    share: float | None

    @property
    def share_percent(self) -> str:
        """``share`` as a percent with one decimal (``"—"`` without a base)."""
        return percent(self.share)


@dataclass(frozen=True)
class UnitRow:
    """One handling unit's active assignments (neither withdrawn nor sent back) of the counted proposals.

    ``lead`` counts lead and sole (单办) assignments, ``co`` co-handling (会办), ``separate`` 分办;
    ``replied`` assignments with at least one sent reply; ``overdue`` still handling past their deadline."""

    unit_id: int
    name: str
    assignments: int
    lead: int
    co: int
    separate: int
    replied: int
    overdue: int


@dataclass(frozen=True)
class ProposalStatistics:
    """The proposal figures of one scope (see :func:`proposal_statistics` for every definition)."""

    scope: StatsScope
    received: int
    plenary: int
    ordinary: int
    withdrawn: int
    under_review: int
    filed: int
    filing_rate: float | None
    merged: int
    not_filed: int
    not_filed_by_ground: list[CountRow]
    by_proposer_kind: list[CountRow]
    members_submitted: int
    members_in_term: int
    members_in_term_submitted: int
    member_share: float | None
    by_category: list[CategoryRow]
    assigned: int
    units_involved: int
    lead_units: int
    by_unit: list[UnitRow]
    replied: int
    reply_rate: float | None
    graded_replies: int
    grades: list[CountRow]
    evaluated: int
    satisfaction: list[CountRow]
    first_evaluated: int
    first_satisfied: int
    first_time_satisfaction_rate: float | None
    key: int
    key_share: float | None
    supervised: int
    excellent: int
    overdue_assignments: int

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON-ready data (dates as ISO strings, ratios 0..1 or ``None``)."""
        data = dataclasses.asdict(self)
        for key in ("date_from", "date_to", "as_of"):
            value = data["scope"][key]
            data["scope"][key] = value.isoformat() if value else None
        data["scope"]["label"] = self.scope.label()
        return data

    def summary(self) -> list[tuple[str, str, int | float | None, bool]]:
        """The headline figures in display order: ``(key, label, value, is_ratio)``."""
        return [(k, label, getattr(self, k), k in RATIO_FIELDS) for k, label in SUMMARY_FIELDS]


#: The headline figures with their Chinese labels (marked for translation: the page shows them in the user's
#: language), in the order pages, workbooks and the console show them.
SUMMARY_FIELDS: list[tuple[str, str]] = [
    ("received", gettext_noop("收到提案")),
    ("plenary", gettext_noop("其中：大会提案")),
    ("ordinary", gettext_noop("其中：平时提案")),
    ("under_review", gettext_noop("待审查（含退回修改）")),
    ("filed", gettext_noop("立案")),
    ("filing_rate", gettext_noop("立案率")),
    ("merged", gettext_noop("并案")),
    ("not_filed", gettext_noop("不予立案")),
    ("withdrawn", gettext_noop("撤回（不计入收到）")),
    ("members_submitted", gettext_noop("提交提案的委员")),
    ("members_in_term", gettext_noop("在任委员")),
    ("member_share", gettext_noop("提交提案委员占在任委员比例")),
    ("assigned", gettext_noop("已交办提案")),
    ("units_involved", gettext_noop("承办单位")),
    ("lead_units", gettext_noop("其中：主办（含单办）单位")),
    ("replied", gettext_noop("已答复提案")),
    ("reply_rate", gettext_noop("答复率")),
    ("graded_replies", gettext_noop("答复件数（各交办最新答复）")),
    ("evaluated", gettext_noop("已测评答复")),
    ("first_time_satisfaction_rate", gettext_noop("首次测评满意率")),
    ("key", gettext_noop("重点提案")),
    ("key_share", gettext_noop("重点提案占立案比例")),
    ("supervised", gettext_noop("领导督办提案")),
    ("excellent", gettext_noop("优秀提案")),
    ("overdue_assignments", gettext_noop("超期未答复交办")),
]
RATIO_FIELDS = {"filing_rate", "member_share", "reply_rate", "first_time_satisfaction_rate", "key_share"}


def resolve_scope(council: Council, *, term_number: int | None = None,
                  session_number: int | None = None) -> tuple[Term | None, Session | None]:
    """The council's term numbered ``term_number`` and its session numbered ``session_number``.

    A session number needs a term number (sessions are numbered within a term). Raises
    :class:`DomainError` (field ``term`` / ``session``) when one does not exist.
    """
    term = session = None
    if session_number is not None and term_number is None:
        raise DomainError("指定会次时须同时指定届次。", field="term")
    if term_number is not None:
        term = Term.objects.filter(council=council, number=term_number).first()
        if term is None:
            raise DomainError(f"{council.name}没有第{term_number}届。", field="term")
    if session_number is not None:
        session = Session.objects.filter(term=term, number=session_number).select_related("term").first()
        if session is None:
            raise DomainError(f"第{term_number}届没有第{session_number}次会议。", field="session")
    return term, session


def _received(council: Council, term: Term | None, session: Session | None, date_from: date | None,
              date_to: date | None) -> tuple[QuerySet[Proposal], QuerySet[Proposal]]:
    submitted = Proposal.objects.filter(council=council, submitted_at__isnull=False)
    if session is not None:
        submitted = submitted.filter(session=session)
    elif term is not None:
        submitted = submitted.filter(session__term=term)
    if date_from is not None:
        submitted = submitted.filter(submitted_at__date__gte=date_from)
    if date_to is not None:
        submitted = submitted.filter(submitted_at__date__lte=date_to)
    return submitted, submitted.filter(RECEIVED)


def _proposer_evaluations(replies: QuerySet[Reply]) -> QuerySet[Evaluation]:
    """Evaluations of ``replies`` made by the proposal's own proposer, as ``Proposal.proposer_user_ids``
    defines it: the first proposer's account; or the account that entered the proposal when it is an
    organisation's, or a member's without an account of their own. Ratings by proposers of proposals merged
    into the case are left out."""
    proposal = "reply__assignment__proposal__"
    by_member = Q(**{f"{proposal}first_proposer__isnull": False},
                  evaluator_id=F(f"{proposal}first_proposer__profile__user_id"))
    no_account = Q(**{f"{proposal}first_proposer__isnull": True}) | Q(
        **{f"{proposal}first_proposer__profile__isnull": True})
    by_entrant = no_account & Q(evaluator_id=F(f"{proposal}created_by_id"))
    return Evaluation.objects.filter(reply__in=replies).filter(by_member | by_entrant)


def proposal_statistics(council: Council, *, term: Term | None = None, session: Session | None = None,
                        date_from: date | None = None, date_to: date | None = None,
                        as_of: date | None = None) -> ProposalStatistics:
    """The proposal statistics (数读) of ``council``, optionally one ``term`` or ``session`` (the session
    wins when both are given) and the submission dates ``date_from``..``date_to`` (local dates, inclusive).

    The counted proposals (**received**, 收到提案) are those of the scope with a submission time
    (``submitted_at``) in the range whose state counts as received (flag 计入收件: by default every state but
    drafts and withdrawn ones; withdrawn ones, those in a state the ``withdraw`` act leads to, are reported apart
    as ``withdrawn``). States are asked by flag and act, never by code, so renamed states count the same.
    Every other figure is about these proposals, whenever the later act happened:

    - ``plenary`` / ``ordinary``: received as 大会提案 / 平时提案 (``is_plenary``, set at submission).
    - ``under_review``: in a state flagged 审查中 (by default 待审查 or 退回修改).
    - ``filed``: received proposals that were filed (立案: have ``filed_at``, whatever their state now).
      ``filing_rate`` = filed / received, i.e. the denominator is every submitted proposal except drafts
      and withdrawn ones — merged, not-filed and still-under-review proposals are in the denominator.
    - ``merged`` (并案: merged into another), ``not_filed`` (不予立案; states the ``merge`` / ``not_file`` acts
      lead to) and ``not_filed_by_ground`` (each statutory ground [R3]; share of ``not_filed``).
    - ``by_proposer_kind``: received per proposer kind; share of received.
    - ``members_submitted``: distinct members who are the first proposer of a received proposal or a
      confirmed co-signer (联名人) of one. ``members_in_term``: active members (``Member.active``) of the
      council in the scope's term (the given term, the session's term, or every term of the council when
      neither is given); ``member_share`` = members of that pool who submitted / ``members_in_term``.
    - ``by_category``: received and filed per subject category (``未分类`` for none); share of received.
    - ``assigned``: proposals with at least one active assignment (neither withdrawn nor sent back);
      ``units_involved``: distinct units with an active assignment; ``lead_units``: distinct units with an
      active lead (主办) or sole (单办) assignment; ``by_unit``: see :class:`UnitRow`.
    - ``replied``: proposals with at least one sent (签发) reply on an active assignment;
      ``reply_rate`` = replied / assigned.
    - ``grades``: the latest sent reply of each active assignment (a re-handled case counts its newest
      reply only), per grade of the council's scale; share of ``graded_replies`` (their number).
    - ``satisfaction``: for each active assignment, the proposer's evaluation of its latest evaluated reply
      (overall verdict 满意 / 基本满意 / 不满意); share of ``evaluated`` (their number). Ratings by
      proposers of proposals merged into the case are not counted.
    - ``first_time_satisfaction_rate`` (首次测评满意率) = ``first_satisfied`` / ``first_evaluated``: the
      share of first-round (``round == 1``) replies evaluated by the proposer whose evaluation was 满意 or
      基本满意. A case rated 不满意 and re-handled counts as not satisfied here even if the second reply
      satisfied the proposer.
    - ``key`` (重点提案) and ``key_share`` = key / filed; ``supervised``: key proposals with a named
      supervising leader (督办); ``excellent``: proposals chosen as excellent (优秀提案) in any year.
    - ``overdue_assignments``: active assignments still handling (no reply / opinion sent in this round)
      whose deadline is before ``as_of`` (default: today).

    Raises :class:`DomainError` when the term or session is not the council's, the session is not of the
    term, or ``date_from`` is after ``date_to``.
    """
    if term is not None and term.council_id != council.pk:
        raise DomainError("所选届次不属于该机构。", field="term")
    if session is not None:
        if term is not None and session.term_id != term.pk:
            raise DomainError("所选会次不属于该届。", field="session")
        term = session.term
        if term.council_id != council.pk:
            raise DomainError("所选会次不属于该机构。", field="session")
    if date_from and date_to and date_from > date_to:
        raise DomainError("开始日期不能晚于结束日期。", field="date_from")
    as_of = as_of or timezone.localdate()
    scope = StatsScope(council.pk, council.name, term.pk if term else None, term.number if term else None,
                       session.pk if session else None, session.number if session else None,
                       date_from, date_to, as_of)
    submitted, received = _received(council, term, session, date_from, date_to)
    filed_q = Q(filed_at__isnull=False)
    # Withdrawn, merged and not filed: the states the workflow's withdraw / merge / not_file acts lead to.
    not_filed_q = Q(state__in=states_entered_by("not_file"))
    totals = submitted.aggregate(
        withdrawn=Count("pk", filter=Q(state__in=states_entered_by("withdraw"))),
        received=Count("pk", filter=RECEIVED),
        plenary=Count("pk", filter=RECEIVED & Q(is_plenary=True)),
        under_review=Count("pk", filter=UNDER_REVIEW),
        filed=Count("pk", filter=RECEIVED & filed_q),
        merged=Count("pk", filter=Q(state__in=states_entered_by("merge"))),
        not_filed=Count("pk", filter=not_filed_q),
        key=Count("pk", filter=RECEIVED & filed_q & Q(is_key=True)),
        supervised=Count("pk", filter=RECEIVED & filed_q & Q(is_key=True) & ~Q(supervising_leader="")),
        excellent=Count("pk", filter=RECEIVED & Q(excellent_year__isnull=False)),
    )
    n_received, n_filed, n_not_filed = totals["received"], totals["filed"], totals["not_filed"]

    grounds = dict(received.filter(not_filed_q).values("not_filed_ground")
                   .annotate(n=Count("pk")).values_list("not_filed_ground", "n"))
    ground_rows = [CountRow(g.value, str(g.label), grounds.pop(g.value, 0), None) for g in NotFiledGround]
    ground_rows += [CountRow(k, "未注明", n, None) for k, n in grounds.items() if n]
    ground_rows = [dataclasses.replace(r, share=ratio(r.count, n_not_filed)) for r in ground_rows]

    kinds = dict(received.values("proposer_kind").annotate(n=Count("pk")).values_list("proposer_kind", "n"))
    kind_rows = [CountRow(k.value, str(k.label), kinds.get(k.value, 0), ratio(kinds.get(k.value, 0), n_received))
                 for k in ProposerKind]

    per_category = {c: (r, f) for c, r, f in received.values("category_id").annotate(
        r=Count("pk"), f=Count("pk", filter=filed_q)).values_list("category_id", "r", "f")}
    category_rows = []
    for cat_id, name in Category.objects.filter(council=council).order_by("order", "id").values_list("id", "name"):
        r, f = per_category.pop(cat_id, (0, 0))
        category_rows.append(CategoryRow(str(cat_id), name, r, f, ratio(r, n_received)))
    for cat_id, (r, f) in per_category.items():  # none, or a category of another council (not expected)
        category_rows.append(CategoryRow("" if cat_id is None else str(cat_id), "未分类", r, f, ratio(r, n_received)))

    submitters = Q(pk__in=received.filter(first_proposer__isnull=False).values("first_proposer_id")) | Q(
        pk__in=CoSigner.objects.filter(proposal__in=received, status=CoSignStatus.CONFIRMED).values("member_id"))
    pool = Q(active=True) & (Q(term=term) if term is not None else Q())
    members = Member.objects.filter(council=council).aggregate(
        submitted=Count("pk", filter=submitters), pool=Count("pk", filter=pool),
        pool_submitted=Count("pk", filter=pool & submitters))

    active = Assignment.objects.filter(proposal__in=received).exclude(status__in=INACTIVE_ASSIGNMENT_STATUSES)
    overdue_q = Q(status=AssignmentStatus.HANDLING, deadline__lt=as_of)
    units = active.aggregate(
        assigned=Count("proposal_id", distinct=True), units=Count("unit_id", distinct=True),
        lead_units=Count("unit_id", distinct=True, filter=Q(role__in=LEAD_ROLES)),
        overdue=Count("pk", filter=overdue_q))
    sent_reply = Exists(Reply.objects.filter(assignment_id=OuterRef("pk"), status=ReplyStatus.SENT))
    unit_rows = [UnitRow(*row) for row in active.values("unit_id", "unit__name").annotate(
        n=Count("pk"), lead=Count("pk", filter=Q(role__in=LEAD_ROLES)),
        co=Count("pk", filter=Q(role=AssignmentRole.CO)), sep=Count("pk", filter=Q(role=AssignmentRole.SEPARATE)),
        replied=Count("pk", filter=sent_reply), overdue=Count("pk", filter=overdue_q),
    ).order_by("-n", "unit__name", "unit_id").values_list(
        "unit_id", "unit__name", "n", "lead", "co", "sep", "replied", "overdue")]

    sent = Reply.objects.filter(assignment__in=active, status=ReplyStatus.SENT)
    latest = sent.exclude(Exists(Reply.objects.filter(assignment_id=OuterRef("assignment_id"),
                                                      status=ReplyStatus.SENT, round__gt=OuterRef("round"))))
    n_replied = sent.aggregate(n=Count("assignment__proposal_id", distinct=True))["n"]
    by_grade = dict(latest.values("grade_id").annotate(n=Count("pk")).values_list("grade_id", "n"))
    n_graded = sum(by_grade.values())
    grade_rows = [CountRow(code, f"{code}类（{label}）", by_grade.get(gid, 0), ratio(by_grade.get(gid, 0), n_graded))
                  for gid, code, label, on in ReplyGrade.objects.filter(council=council).order_by("order", "id")
                  .values_list("id", "code", "label", "active") if on or by_grade.get(gid)]

    evaluations = _proposer_evaluations(sent)
    latest_eval = evaluations.exclude(Exists(Evaluation.objects.filter(
        reply__assignment_id=OuterRef("reply__assignment_id"), reply__round__gt=OuterRef("reply__round"),
        evaluator_id=OuterRef("evaluator_id"))))
    verdicts = dict(latest_eval.values("overall").annotate(n=Count("pk")).values_list("overall", "n"))
    n_evaluated = sum(verdicts.values())
    satisfaction_rows = [CountRow(s.value, str(s.label), verdicts.get(s.value, 0),
                                  ratio(verdicts.get(s.value, 0), n_evaluated)) for s in Satisfaction]
    first = evaluations.filter(reply__round=1).aggregate(
        n=Count("pk"), ok=Count("pk", filter=Q(overall__in=SATISFIED_VERDICTS)))

    return ProposalStatistics(
        scope=scope,
        received=n_received, plenary=totals["plenary"], ordinary=n_received - totals["plenary"],
        withdrawn=totals["withdrawn"], under_review=totals["under_review"],
        filed=n_filed, filing_rate=ratio(n_filed, n_received), merged=totals["merged"], not_filed=n_not_filed,
        not_filed_by_ground=ground_rows, by_proposer_kind=kind_rows,
        members_submitted=members["submitted"], members_in_term=members["pool"],
        members_in_term_submitted=members["pool_submitted"],
        member_share=ratio(members["pool_submitted"], members["pool"]),
        by_category=category_rows,
        assigned=units["assigned"], units_involved=units["units"], lead_units=units["lead_units"],
        by_unit=unit_rows,
        replied=n_replied, reply_rate=ratio(n_replied, units["assigned"]),
        graded_replies=n_graded, grades=grade_rows,
        evaluated=n_evaluated, satisfaction=satisfaction_rows,
        first_evaluated=first["n"], first_satisfied=first["ok"],
        first_time_satisfaction_rate=ratio(first["ok"], first["n"]),
        key=totals["key"], key_share=ratio(totals["key"], n_filed), supervised=totals["supervised"],
        excellent=totals["excellent"], overdue_assignments=units["overdue"],
    )


def parse_scope_params(council: Council, params: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments of :func:`proposal_statistics` from query-string ``params``.

    Keys: ``term`` and ``session`` (ids of the council's term and session), ``date_from`` and ``date_to``
    (``YYYY-MM-DD``). Blank values are ignored. Raises :class:`DomainError` naming the field for an id that is
    not the council's or a malformed date.
    """
    kwargs: dict[str, Any] = {}
    term_id = str(params.get("term") or "").strip()
    if term_id:
        term = Term.objects.filter(council=council, pk=int(term_id)).first() if term_id.isdigit() else None
        if term is None:
            raise DomainError("所选届次不存在。", field="term")
        kwargs["term"] = term
    session_id = str(params.get("session") or "").strip()
    if session_id:
        session = (Session.objects.filter(term__council=council, pk=int(session_id)).select_related("term").first()
                   if session_id.isdigit() else None)
        if session is None:
            raise DomainError("所选会次不存在。", field="session")
        kwargs["session"] = session
    for name, label in (("date_from", "开始日期"), ("date_to", "结束日期")):
        value = str(params.get(name) or "").strip()
        if value:
            try:
                kwargs[name] = date.fromisoformat(value)
            except ValueError:
                raise DomainError(f"「{label}」格式应为 YYYY-MM-DD。", field=name) from None
    return kwargs


# ---------------------------------------------------------------------------------------------- the whole 数读

#: How many authors, categories and units the page and the console list (the workbook lists every author).
TOP = 10

#: The headline figures of public-opinion reports (社情民意), keys of
#: :func:`lvzhi.opinions.queries.opinion_statistics`, with their Chinese labels (marked for translation, shown
#: translated on the page) and kind: ``count``, ``ratio`` (0..1, shown as a percent) or ``days``.
OPINION_SUMMARY_FIELDS: list[tuple[str, str, str]] = [
    ("submitted", gettext_noop("报送信息"), "count"),
    ("adopted", gettext_noop("采用信息"), "count"),
    ("adoption_rate", gettext_noop("采用率"), "ratio"),
    ("kept", gettext_noop("留存信息"), "count"),
    ("published", gettext_noop("刊发信息"), "count"),
    ("instructions", gettext_noop("领导批示（件次）"), "count"),
    ("instructed_reports", gettext_noop("获批示信息（篇）"), "count"),
]
#: The headline figures of citizens' messages (群众意见), keys of
#: :func:`lvzhi.opinions.queries.message_statistics`; kinds as in :data:`OPINION_SUMMARY_FIELDS`.
MESSAGE_SUMMARY_FIELDS: list[tuple[str, str, str]] = [
    ("received", gettext_noop("收到群众意见"), "count"),
    ("answered", gettext_noop("已答复"), "count"),
    ("answer_rate", gettext_noop("答复率"), "ratio"),
    ("answer_days_median", gettext_noop("答复用时中位数（自然日）"), "days"),
    ("answer_days_p90", gettext_noop("答复用时90%分位（自然日）"), "days"),
    ("rated", gettext_noop("已评价"), "count"),
    ("satisfaction_rate", gettext_noop("满意率（满意+基本满意）"), "ratio"),
]


def days(value: float | None, digits: int = 1) -> str:
    """A duration in calendar days with ``digits`` decimals (``2.25`` → ``"2.3"``); ``"—"`` for None."""
    return "—" if value is None else f"{value:.{digits}f}"


def show(value: Any, kind: str) -> str:
    """``value`` of a figure of kind ``count`` / ``ratio`` / ``days`` as text: the count, a percent with one
    decimal, or calendar days with one decimal (``"—"`` when there is no value)."""
    if kind == "ratio":
        return percent(value)
    if kind == "days":
        return days(value)
    return "—" if value is None else str(value)


def figures(data: Mapping[str, Any], fields: list[tuple[str, str, str]]) -> list[tuple[str, str, Any, str]]:
    """The headline figures of ``data`` (one of the opinions statistics dicts) in display order:
    ``(key, label, value, kind)`` for each of ``fields`` (:data:`OPINION_SUMMARY_FIELDS` or
    :data:`MESSAGE_SUMMARY_FIELDS`)."""
    return [(key, label, data.get(key), kind) for key, label, kind in fields]


@dataclass(frozen=True)
class CouncilStatistics:
    """The whole 数读 of one council and date range (see :func:`council_statistics`).

    ``proposals``: :class:`ProposalStatistics`; ``opinions``: the dict of
    :func:`lvzhi.opinions.queries.opinion_statistics`; ``messages``: the dict of
    :func:`lvzhi.opinions.queries.message_statistics` (ratios 0..1, durations in calendar days)."""

    proposals: ProposalStatistics
    opinions: dict[str, Any]
    messages: dict[str, Any]

    @property
    def scope(self) -> StatsScope:
        """The scope of the proposal figures (the term and session apply to proposals only)."""
        return self.proposals.scope

    def as_dict(self) -> dict[str, Any]:
        """``{"proposals": ..., "opinions": ..., "messages": ...}`` as JSON-ready data."""
        return {"proposals": self.proposals.as_dict(), "opinions": self.opinions, "messages": self.messages}


def council_statistics(council: Council, *, term: Term | None = None, session: Session | None = None,
                       date_from: date | None = None, date_to: date | None = None, as_of: date | None = None,
                       top: int = TOP) -> CouncilStatistics:
    """The whole 数读 of ``council``: :func:`proposal_statistics` for the given scope, and the public-opinion
    report and citizens' message figures (:func:`lvzhi.opinions.queries.opinion_statistics` and
    :func:`~lvzhi.opinions.queries.message_statistics`, ``top`` categories and units) for reports and messages
    submitted in the same dates ``date_from``..``date_to`` (local dates, inclusive).

    ``term`` and ``session`` apply to proposals only: reports and messages do not belong to a session.
    Raises :class:`DomainError` as :func:`proposal_statistics` does (foreign term or session, dates reversed).
    """
    proposals = proposal_statistics(council, term=term, session=session, date_from=date_from, date_to=date_to,
                                    as_of=as_of)
    return CouncilStatistics(proposals, opinion_statistics(council, date_from, date_to),
                             message_statistics(council, date_from, date_to, top=top))


# ---------------------------------------------------------------------------------------------- people's congress

#: The headline figures of deputies' suggestions (代表建议), keys of
#: :func:`lvzhi.suggestions.queries.suggestion_figures`, with their Chinese labels (marked for translation) and
#: kind (``count`` or ``ratio``).
SUGGESTION_SUMMARY_FIELDS: list[tuple[str, str, str]] = [
    ("received", gettext_noop("收到代表建议"), "count"),
    ("in_session", gettext_noop("其中：大会期间"), "count"),
    ("interim", gettext_noop("其中：闭会期间"), "count"),
    ("accepted", gettext_noop("已受理（编号）"), "count"),
    ("assigned", gettext_noop("已交办建议"), "count"),
    ("sent_back", gettext_noop("承办单位申退（件次）"), "count"),
    ("replied", gettext_noop("已答复建议"), "count"),
    ("evaluations", gettext_noop("收回意见征询表"), "count"),
    ("satisfied_share", gettext_noop("满意率（无不满意项）"), "ratio"),
    ("rehandled", gettext_noop("重新办理建议"), "count"),
    ("key", gettext_noop("重点督办建议"), "count"),
    ("key_groups", gettext_noop("重点督办专题"), "count"),
    ("excellent", gettext_noop("优秀建议"), "count"),
]


def uses_suggestions(council: Council) -> bool:
    """Whether ``council``'s 数读 is of deputies' suggestions (a people's congress) instead of proposals."""
    return council.kind == CouncilKind.NPC


def npc_statistics(council: Council, *, session: Session | None = None) -> dict[str, Any]:
    """The 数读 of a people's congress: :func:`lvzhi.suggestions.queries.suggestion_figures` of ``council``
    (of ``session`` when given), with ``summary`` (``(key, label, value, kind)`` after
    :data:`SUGGESTION_SUMMARY_FIELDS`), ``delegations`` (``(name, count, share of received)``) and
    ``grade_rows`` (``(code, count, share)`` of the latest answers)."""
    from lvzhi.suggestions.queries import suggestion_figures

    data = suggestion_figures(council.pk, session_id=session.pk if session is not None else None)
    data["summary"] = figures(data, SUGGESTION_SUMMARY_FIELDS)
    data["delegations"] = [(name, n, ratio(n, data["received"])) for name, n in data["by_delegation"].items()]
    data["grade_rows"] = [(code, n, data["grade_shares"][code]) for code, n in data["grades"].items()]
    return data
