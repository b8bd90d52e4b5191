"""The only writers of public-opinion reports and citizens' messages (Zulip's ``actions`` convention).

Each public function is one act: one transaction, the case locked through :mod:`lvzhi.workflow.engine`
(which checks the workflow graph and the actor's role on the case), one audit entry per change,
notifications after the commit. Refusals raise :class:`~lvzhi.core.errors.DomainError` with a Chinese
message naming the field; the transaction rolls back and nothing changes.

Rules: ``shared/domain/WORKFLOWS.md`` §3 (reports) and the message flow of DESIGN.md §1; time limits come
from the workflow data (``lvzhi.opinions.defaults``), never from constants here.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from lvzhi.core import attachments, audit, images
from lvzhi.core.calendar import add_period
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.core.models import AuditEntry
from lvzhi.core.text_limits import COMMENT_MAX
from lvzhi.members.access import profile_of
from lvzhi.members.choices import Role
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation
from lvzhi.opinions import following
from lvzhi.opinions.choices import (
    ORGANISATION_SUBMITTER_KINDS,
    Channel,
    ForwardStatus,
    InstructionLevel,
    IssueKind,
    Rating,
    RecipientKind,
    ReplyStatus,
    SubmitterKind,
)
from lvzhi.opinions.defaults import MESSAGE_CASE_TYPE, REPORT_CASE_TYPE
from lvzhi.opinions.models import (
    BulletinIssue,
    CodeHolder,
    Informant,
    Instruction,
    Message,
    Report,
    ReportDelivery,
    ReportForward,
)
from lvzhi.opinions.signature import reply_unit_from_signature
from lvzhi.workflow import engine
from lvzhi.workflow.models import Transition, Workflow

#: Longest title (characters), as the model's column.
TITLE_MAX = 200
#: Longest body of a message or one section of a report entered through a form or the API (characters).
#: Imports keep longer real texts as they are.
BODY_MAX = 5000
#: Recommended maximum length of a report (situation + analysis + suggestion): a warning, not a refusal [S1].
REPORT_RECOMMENDED_MAX = 1500
PLACE_MAX = 200
CONTACT_MAX = 100
NAME_MAX = 50
RATING_COMMENT_MAX = 200
"""The citizen's comment with a rating, in characters (optional, also with 不满意)."""
#: Tracking codes: 12 characters from 32 unambiguous letters and digits = 60 random bits.
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 12

REPORT_SECTIONS = (("situation", "基本情况"), ("analysis", "问题分析"), ("suggestion", "意见建议"))


# ---------------------------------------------------------------------------------------------- helpers


def _comment(value: Any) -> str:
    """A comment on a step of handling, stripped; over :data:`~lvzhi.core.text_limits.COMMENT_MAX` characters
    refused (field ``comment``), as the API's schema refuses it."""
    return _clean(value, "comment", "意见", max_length=COMMENT_MAX)


def _clean(value: Any, field: str, label: str, *, required: bool = False, max_length: int | None = None) -> str:
    """Strip ``value``; refuse an empty required value or one over ``max_length`` characters (kept as given:
    traditional characters and emoji are stored unchanged)."""
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if max_length is not None and len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length} 个字（现有 {len(text)} 个）。", field=field)
    return text


def _workflow(council: Council | int, case_type: str) -> Workflow:
    """The council's active workflow of ``case_type``. A lookup only: it never installs anything (``lvzhi
    setup`` installs the defaults). Raises :class:`DomainError` when the council has none."""
    council_id = council if isinstance(council, int) else council.pk
    workflow = Workflow.objects.filter(council_id=council_id, case_type=case_type, active=True).first()
    if workflow is None:
        name = {REPORT_CASE_TYPE: "社情民意信息", MESSAGE_CASE_TYPE: "群众意见"}.get(case_type, case_type)
        raise DomainError(f"该机构尚未配置{name}办理流程，请先运行 lvzhi setup。")
    return workflow


def _deadline_after(workflow_id: int, act: str, start: date) -> date | None:
    """``start`` plus the time limit of the state act ``act`` leads to; ``None`` without a limit."""
    transition = (Transition.objects.filter(workflow_id=workflow_id, act=act).select_related("target")
                  .order_by("id").first())
    state = transition.target if transition else None
    if state is None or not state.time_limit:
        return None
    return add_period(start, state.time_limit, state.time_unit)


def _today() -> date:
    return timezone.localdate()


def _staff_users(council_id: int) -> list[Any]:
    return list(get_user_model().objects.filter(profile__council_id=council_id, profile__role=Role.STAFF,
                                                is_active=True).distinct())


def _unit_users(unit_ids: Iterable[int], *roles: str) -> list[Any]:
    return list(get_user_model().objects.filter(
        profile__unit_id__in=list(unit_ids), profile__role__in=roles or (Role.UNIT_CLERK, Role.UNIT_LEADER),
        is_active=True).distinct())


def _require(case: Report | Message, actor: Any, *roles: str, what: str) -> set[str]:
    held = case.roles_of(actor)
    if not held.intersection(roles):
        raise ForbiddenError(f"您无权{what}。")
    return held


def _check_council(actor: Any, council: Council) -> None:
    profile = profile_of(actor)
    if profile is None:
        raise ForbiddenError("请先登录。")
    if profile.role == Role.ADMIN and profile.council_id is None:
        return
    if profile.council_id != council.pk:
        raise ForbiddenError("您不能为其他机构办理此事项。")


def _report_url(report: Report) -> str:
    return reverse("opinions-report", args=[report.pk])


def _message_url(message: Message) -> str:
    return reverse("opinions-message", args=[message.pk])


def report_warnings(report: Report) -> list[str]:
    """Advice shown to the author and staff (never a refusal): the recommended length of about 1,500
    characters [S1], and the edited title form 关于……的建议 once the report is adopted."""
    warnings = []
    if report.length > REPORT_RECOMMENDED_MAX:
        warnings.append(f"社情民意信息建议不超过 {REPORT_RECOMMENDED_MAX} 字（现有 {report.length} 字），请精简。")
    if (report.state.staff_may_edit or engine.has_act(report, "publish")) and not (report.title.startswith("关于")
                                                              and report.title.endswith("建议")):
        warnings.append("编辑后的标题宜采用“关于……的建议”的形式。")
    return warnings


# ---------------------------------------------------------------------------------------------- reports


def _sections(values: dict[str, Any], *, required_suggestion: bool = False) -> dict[str, str]:
    out = {}
    for name, label in REPORT_SECTIONS:
        out[name] = _clean(values.get(name), name, label, max_length=BODY_MAX,
                           required=required_suggestion and name == "suggestion")
    return out


@transaction.atomic
def create_report(actor: Any, *, council: Council, title: str, situation: str = "", analysis: str = "",
                  suggestion: str = "", submitter_kind: str = SubmitterKind.MEMBER, member: Member | None = None,
                  organisation: Organisation | None = None, informant: Informant | None = None) -> Report:
    """Draft a public-opinion report (社情民意信息): one matter, situation / analysis / suggestion.

    Submitters [S2][S3]: a member for themself (``member`` defaults to the actor's member); a party group,
    people's organisation, special committee, sector or member group (``organisation`` of that kind, entered
    by one of its members or by staff); an appointed informant (``informant``: a member-informant for
    themself, or staff for any informant of the council). Each section holds at most :data:`BODY_MAX`
    characters; more than :data:`REPORT_RECOMMENDED_MAX` in all is only a warning (:func:`report_warnings`).
    Raises :class:`DomainError` (missing title, wrong submitter) or :class:`ForbiddenError`.
    """
    profile = profile_of(actor)
    if profile is None or profile.role not in (Role.MEMBER, Role.STAFF, Role.ADMIN):
        raise ForbiddenError("只有委员、组织或信息员及工作人员可以报送社情民意信息。")
    _check_council(actor, council)
    title = _clean(title, "title", "标题", required=True, max_length=TITLE_MAX)
    sections = _sections({"situation": situation, "analysis": analysis, "suggestion": suggestion})
    if submitter_kind not in SubmitterKind.values:
        raise DomainError("报送者类型无效。", field="submitter_kind")
    is_member = profile.role == Role.MEMBER
    if submitter_kind in ORGANISATION_SUBMITTER_KINDS:
        if organisation is None:
            raise DomainError("请选择报送单位。", field="organisation")
        if organisation.kind != submitter_kind or organisation.council_id != council.pk:
            raise DomainError("报送单位与报送者类型不符。", field="organisation")
        if is_member and organisation not in (profile.member.organisations() if profile.member else []):
            raise ForbiddenError("您不是该组织的成员，不能以其名义报送。")
        member, informant = None, None
    elif submitter_kind == SubmitterKind.INFORMANT:
        if informant is None and is_member and profile.member_id is not None:
            informant = Informant.objects.filter(council=council, member_id=profile.member_id, active=True).first()
        if informant is None:
            raise DomainError("请选择信息员（须为本机构在聘的信息员）。", field="informant")
        if informant.council_id != council.pk or not informant.active:
            raise DomainError("该信息员不是本机构在聘的信息员。", field="informant")
        if is_member and informant.member_id != profile.member_id:
            raise ForbiddenError("只能以本人的信息员身份报送。")
        member, organisation = informant.member, None
    else:
        if member is None and is_member:
            member = profile.member
        if member is None:
            raise DomainError("请选择报送委员。", field="member")
        if is_member and member != profile.member:
            raise ForbiddenError("委员只能以本人名义报送。")
        if member.council_id != council.pk:
            raise DomainError("该委员不是本机构的委员。", field="member")
        organisation, informant = None, None
    workflow = _workflow(council, REPORT_CASE_TYPE)
    report = Report.objects.create(
        council=council, workflow=workflow, state=workflow.initial_state(), title=title,
        submitter_kind=submitter_kind, member=member, organisation=organisation, informant=informant,
        created_by=actor, **sections)
    audit.record(report, "created", actor=actor, to_state=report.state.code,
                 new={"title": title, "state_id": report.state_id})
    return report


@transaction.atomic
def update_report_draft(actor: Any, pk: Any, *, expected_version: int | None = None, **fields: Any) -> Report:
    """The author changes title and sections while the state lets the submitter edit (草稿).

    ``fields``: ``title``, ``situation``, ``analysis``, ``suggestion``. Raises :class:`DomainError`.
    """
    report = engine.lock_case(Report, pk, expected_version=expected_version)
    _require(report, actor, "author", "staff", what="修改该信息")
    if not report.state.submitter_may_edit:
        raise DomainError(f"信息处于「{report.state.name}」状态，不能修改。")
    unknown = set(fields) - {"title", "situation", "analysis", "suggestion"}
    if unknown:
        raise DomainError(f"不能修改字段：{'、'.join(sorted(unknown))}。")
    changes: dict[str, Any] = {}
    if "title" in fields:
        changes["title"] = _clean(fields["title"], "title", "标题", required=True, max_length=TITLE_MAX)
    for name, label in REPORT_SECTIONS:
        if name in fields:
            changes[name] = _clean(fields[name], name, label, max_length=BODY_MAX)
    engine.update(report, changes, actor=actor, event="edited")
    return report


@transaction.atomic
def submit_report(actor: Any, pk: Any, *, expected_version: int | None = None,
                  at: datetime | None = None) -> Report:
    """Submit a draft for screening (报送). The suggestion (意见建议) must be present: one matter, with a
    concrete suggestion. Notifies the council's staff. Raises :class:`DomainError` / :class:`ForbiddenError`."""
    report = engine.lock_case(Report, pk, expected_version=expected_version)
    if not engine.has_act(report, "submit"):
        raise DomainError(f"信息已处于「{report.state.name}」状态，请勿重复报送。")
    if not report.suggestion.strip():
        raise DomainError("请填写「意见建议」后再报送。", field="suggestion")
    engine.move(report, "submit", actor=actor, changes={"submitted_at": at or timezone.now()})
    audit.notify(_staff_users(report.council_id), "opinion_submitted", f"新社情民意信息待筛选：《{report.title}》",
                 url=_report_url(report))
    return report


@transaction.atomic
def withdraw_report(actor: Any, pk: Any) -> Report:
    """The author withdraws a draft or a report not yet screened."""
    report = engine.lock_case(Report, pk)
    engine.move(report, "withdraw", actor=actor)
    return report


@transaction.atomic
def screen_report(actor: Any, pk: Any, *, decision: str, comment: str = "",
                  expected_version: int | None = None) -> Report:
    """Staff screen a submitted report: ``decision`` ``adopt`` (采用) or ``keep`` (留存, kept for reference).

    The author is told the outcome. Raises :class:`DomainError` for another decision or state.
    """
    if decision not in ("adopt", "keep"):
        raise DomainError("请选择“采用”或“留存”。", field="decision")
    report = engine.lock_case(Report, pk, expected_version=expected_version)
    if decision == "adopt":
        engine.move(report, "adopt", actor=actor, comment=_comment(comment), changes={"adopted_at": timezone.now()})
        text = f"您报送的社情民意信息《{report.title}》已被采用。"
    else:
        engine.move(report, "keep", actor=actor, comment=_comment(comment))
        text = f"您报送的社情民意信息《{report.title}》已留存参考。"
    audit.notify(get_user_model().objects.filter(pk__in=report.author_user_ids()), "opinion_screened", text,
                 url=_report_url(report))
    return report


@transaction.atomic
def edit_report(actor: Any, pk: Any, *, expected_version: int | None = None, **fields: Any) -> Report:
    """Staff edit an adopted report before sign-off: retitle (usually “关于……的建议”) and tighten the text.

    The author's title is kept in ``original_title`` on the first retitle. ``fields``: ``title``,
    ``situation``, ``analysis``, ``suggestion``. Raises :class:`DomainError` outside 已采用待签发.
    """
    report = engine.lock_case(Report, pk, expected_version=expected_version)
    _require(report, actor, "staff", what="编辑该信息")
    if not report.state.staff_may_edit:
        raise DomainError(f"信息处于「{report.state.name}」状态，只有已采用、待签发的信息可以编辑。")
    unknown = set(fields) - {"title", "situation", "analysis", "suggestion"}
    if unknown:
        raise DomainError(f"不能修改字段：{'、'.join(sorted(unknown))}。")
    changes: dict[str, Any] = {}
    if "title" in fields:
        changes["title"] = _clean(fields["title"], "title", "标题", required=True, max_length=TITLE_MAX)
        if changes["title"] != report.title and not report.original_title:
            changes["original_title"] = report.title
    for name, label in REPORT_SECTIONS:
        if name in fields:
            changes[name] = _clean(fields[name], name, label, max_length=BODY_MAX, required=name == "suggestion")
    engine.update(report, changes, actor=actor, event="report_edited")
    return report


@transaction.atomic
def sign_off_report(actor: Any, pk: Any, *, comment: str = "", expected_version: int | None = None) -> Report:
    """Sign off (签发) an adopted, edited report for publication (staff or the council's leader)."""
    report = engine.lock_case(Report, pk, expected_version=expected_version)
    engine.move(report, "sign_off", actor=actor, comment=_comment(comment),
                changes={"signed_off_by": actor, "signed_off_at": timezone.now()})
    return report


@transaction.atomic
def create_issue(actor: Any, council: Council, *, year: int, number: int, date: date,
                 kind: str = IssueKind.SINGLE, title: str = "") -> BulletinIssue:
    """Create issue ``number`` of ``year`` of the 《社情民意》 bulletin (single-topic or combined).

    Raises :class:`DomainError` when that issue exists, the number is not positive, or the kind is unknown.
    """
    _check_council(actor, council)
    if not has_staff_role(actor, council):
        raise ForbiddenError("只有工作人员可以编辑期刊。")
    if kind not in IssueKind.values:
        raise DomainError("期刊类型无效。", field="kind")
    try:
        year, number = int(year), int(number)
    except (TypeError, ValueError):
        raise DomainError("年度和期号须为整数。", field="number") from None
    if number < 1:
        raise DomainError("期号须为正整数。", field="number")
    if BulletinIssue.objects.filter(council=council, year=year, number=number).exists():
        raise DomainError(f"{year}年第{number}期已存在。", field="number")
    issue = BulletinIssue.objects.create(council=council, year=year, number=number, date=date, kind=kind,
                                         title=_clean(title, "title", "标题", max_length=TITLE_MAX))
    audit.record(issue, "issue_created", actor=actor, council_id=council.pk,
                 new={"year": year, "number": number, "kind": kind})
    return issue


def has_staff_role(actor: Any, council: Council) -> bool:
    """True when ``actor`` is staff or administrator of ``council``."""
    from lvzhi.members.access import is_council_staff

    return is_council_staff(actor, council.pk)


@transaction.atomic
def publish_report(actor: Any, pk: Any, *, issue: BulletinIssue, piece: int | None = None,
                   expected_version: int | None = None) -> Report:
    """Publish a signed-off report in ``issue`` as its ``piece``-th 篇 (default: the next free one).

    A single-topic issue (专刊) holds one report. Raises :class:`DomainError` for an issue of another council,
    a full single issue or a 篇 already taken.
    """
    report = engine.lock_case(Report, pk, expected_version=expected_version)
    if issue.council_id != report.council_id:
        raise DomainError("该期刊不属于本机构。", field="issue")
    issue = BulletinIssue.objects.select_for_update().get(pk=issue.pk)
    taken = Report.objects.filter(issue=issue)
    if issue.kind == IssueKind.SINGLE and taken.exists():
        raise DomainError(f"{issue}为专刊，已刊发一篇信息。", field="issue")
    if piece is None:
        piece = (taken.aggregate(m=Max("piece"))["m"] or 0) + 1
    elif piece < 1 or taken.filter(piece=piece).exists():
        raise DomainError(f"{issue}第{piece}篇已被占用或无效。", field="piece")
    engine.move(report, "publish", actor=actor,
                changes={"issue": issue, "piece": piece, "published_at": timezone.now()})
    audit.notify(get_user_model().objects.filter(pk__in=report.author_user_ids()), "opinion_published",
                 f"您的社情民意信息《{report.title}》刊发于{issue}第{piece}篇。", url=_report_url(report))
    return report


@transaction.atomic
def record_delivery(actor: Any, pk: Any, *, recipient_kind: str, recipient: str = "",
                    sent_on: date | None = None) -> ReportDelivery:
    """Record where a published report was sent (报送): party committee, government or higher CPPCC."""
    report = engine.lock_case(Report, pk)
    _require(report, actor, "staff", what="登记报送")
    if not report.state.is_published:
        raise DomainError("信息刊发后才能登记报送。")
    if recipient_kind not in RecipientKind.values:
        raise DomainError("请选择报送对象。", field="recipient_kind")
    delivery = ReportDelivery.objects.create(
        report=report, recipient_kind=recipient_kind,
        recipient=_clean(recipient, "recipient", "报送单位", max_length=100), sent_on=sent_on or _today(),
        created_by=actor)
    engine.bump(report)
    audit.record(report, "delivered", actor=actor, new={"recipient_kind": recipient_kind,
                                                       "recipient": delivery.recipient, "sent_on": delivery.sent_on})
    return delivery


@transaction.atomic
def record_instruction(actor: Any, pk: Any, *, leader_name: str, level: str, date: date,
                       text: str) -> Instruction:
    """Record a leader's instruction (批示) on a published report: name, level (district/city/province/
    national), date and text. The author is told. Raises :class:`DomainError` naming the field."""
    report = engine.lock_case(Report, pk)
    _require(report, actor, "staff", "leader", what="登记领导批示")
    if not report.state.is_published:
        raise DomainError("信息刊发报送后才能登记领导批示。")
    leader_name = _clean(leader_name, "leader_name", "批示领导", required=True, max_length=50)
    if level not in InstructionLevel.values:
        raise DomainError("请选择批示级别。", field="level")
    if date is None:
        raise DomainError("请填写批示日期。", field="date")
    if date > _today():
        raise DomainError("批示日期不能晚于今天。", field="date")
    text = _clean(text, "text", "批示内容", required=True, max_length=BODY_MAX)
    instruction = Instruction.objects.create(report=report, leader_name=leader_name, level=level, date=date,
                                             text=text, created_by=actor)
    engine.bump(report)
    audit.record(report, "instructed", actor=actor, comment=text,
                 new={"leader_name": leader_name, "level": level, "date": date})
    audit.notify(get_user_model().objects.filter(pk__in=report.author_user_ids()), "opinion_instructed",
                 f"您的社情民意信息《{report.title}》获{InstructionLevel(level).label}领导批示。",
                 url=_report_url(report))
    return instruction


@transaction.atomic
def forward_report(actor: Any, pk: Any, units: Sequence[HandlingUnit], *, comment: str = "",
                   expected_version: int | None = None) -> list[ReportForward]:
    """Forward (转办) a published report to handling units, each to answer within the ``forwarded`` state's
    time limit (1 month by default). Units may be added while it is being handled. Raises
    :class:`DomainError` for no unit, an inactive or foreign unit, or a unit already handling it."""
    report = engine.lock_case(Report, pk, expected_version=expected_version)
    _require(report, actor, "staff", what="转办")
    if not units:
        raise DomainError("请选择承办单位。", field="units")
    for unit in units:
        if unit.council_id != report.council_id or not unit.active:
            raise DomainError(f"承办单位「{unit.name}」不可用。", field="units")
        if report.forwards.filter(unit=unit).exists():
            raise DomainError(f"已转办给「{unit.name}」。", field="units")
    first = engine.has_act(report, "forward")  # else more units join while units are handling it
    if not first and not report.state.units_may_reply:
        raise DomainError(f"信息处于「{report.state.name}」状态，不能转办。")
    deadline = _deadline_after(report.workflow_id, "forward", _today())
    created = [ReportForward.objects.create(report=report, unit=u, forwarded_by=actor, deadline=deadline)
               for u in units]
    if first:
        engine.move(report, "forward", actor=actor, comment=_comment(comment))
    else:
        engine.bump(report)
    audit.record(report, "forwarded_units", actor=actor, comment=comment,
                 new={"units": [u.name for u in units], "deadline": deadline})
    audit.notify(_unit_users([u.pk for u in units]), "opinion_forwarded",
                 f"转办社情民意信息《{report.title}》，请于 {deadline:%Y-%m-%d} 前反馈办理情况。" if deadline
                 else f"转办社情民意信息《{report.title}》。", url=_report_url(report))
    return created


def _unit_forward(actor: Any, forward_pk: Any, *, leader_only: bool = False) -> ReportForward:
    profile = profile_of(actor)
    forward = (ReportForward.objects.select_for_update().select_related("report", "unit")
               .filter(pk=forward_pk).first())
    if forward is None or profile is None:
        raise NotFoundError()
    if profile.unit_id != forward.unit_id:
        if "staff" not in forward.report.roles_of(actor):
            raise NotFoundError()
    elif leader_only and profile.role != Role.UNIT_LEADER:
        raise ForbiddenError("须由承办单位负责人签发。")
    return forward


@transaction.atomic
def draft_forward_answer(actor: Any, forward_pk: Any, *, text: str, for_signoff: bool = True) -> ReportForward:
    """The unit's clerk drafts the answer on a forwarded report (``for_signoff`` puts it before the unit
    leader). Raises :class:`DomainError` for an empty text or an answer already sent."""
    forward = _unit_forward(actor, forward_pk)
    report = engine.lock_case(Report, forward.report_id)
    if forward.status == ForwardStatus.ANSWERED:
        raise DomainError("办理情况已签发，不能再修改。")
    if not report.state.units_may_reply:
        raise DomainError(f"信息处于「{report.state.name}」状态，当前不能答复。")
    forward.answer = _clean(text, "text", "办理情况", required=True, max_length=BODY_MAX)
    forward.drafted_by = actor
    forward.status = ForwardStatus.PENDING_SIGNOFF if for_signoff else ForwardStatus.HANDLING
    forward.save(update_fields=["answer", "drafted_by", "status"])
    engine.bump(report)
    audit.record(report, "answer_drafted", actor=actor, new={"unit": forward.unit.name, "status": forward.status})
    if for_signoff:
        audit.notify(_unit_users([forward.unit_id], Role.UNIT_LEADER), "signoff",
                     f"社情民意办理情况待签发：《{report.title}》", url=_report_url(report))
    return forward


@transaction.atomic
def sign_off_forward_answer(actor: Any, forward_pk: Any) -> ReportForward:
    """The unit leader signs off the answer. When every unit has answered, the report becomes 已办复 and the
    author is told."""
    forward = _unit_forward(actor, forward_pk, leader_only=True)
    report = engine.lock_case(Report, forward.report_id)
    if forward.status == ForwardStatus.ANSWERED:
        raise DomainError("该办理情况已签发，请勿重复操作。")
    if forward.status != ForwardStatus.PENDING_SIGNOFF:
        raise DomainError("办理情况尚未提交签发。")
    forward.status, forward.signed_by, forward.answered_at = ForwardStatus.ANSWERED, actor, timezone.now()
    forward.save(update_fields=["status", "signed_by", "answered_at"])
    audit.record(report, "answer_sent", actor=actor, new={"unit": forward.unit.name})
    if not report.forwards.exclude(status=ForwardStatus.ANSWERED).exists():
        engine.move(report, "answer", actor=actor)
        audit.notify(get_user_model().objects.filter(pk__in=report.author_user_ids()), "opinion_answered",
                     f"您的社情民意信息《{report.title}》承办单位已反馈办理情况。", url=_report_url(report))
    else:
        engine.bump(report)
    return forward


@transaction.atomic
def close_report(actor: Any, pk: Any, *, outcome: str, expected_version: int | None = None) -> Report:
    """Staff give the author feedback on the outcome (反馈) and close the report (from 已刊发报送 or 已办复)."""
    report = engine.lock_case(Report, pk, expected_version=expected_version)
    outcome = _clean(outcome, "outcome", "办理结果反馈", required=True, max_length=BODY_MAX)
    engine.move(report, "close", actor=actor, comment=outcome, changes={"outcome": outcome})
    audit.notify(get_user_model().objects.filter(pk__in=report.author_user_ids()), "opinion_closed",
                 f"您的社情民意信息《{report.title}》办理结果：{outcome}", url=_report_url(report))
    return report


@transaction.atomic
def convert_proposal_to_report(actor: Any, proposal_pk: Any) -> Report:
    """Turn a proposal that was not filed (不予立案) into a public-opinion report in one step [R7][R8].

    Copies title and text (情况 → 基本情况, 分析 → 问题分析, 具体建议 → 意见建议) and the proposer (member or
    organisation); the report enters 待筛选 at once (the proposer already submitted it) and keeps a link to
    the proposal (``report.source_proposal`` / ``proposal.opinion_report``). Writes an audit entry on both.
    Staff only. Raises :class:`DomainError` when the proposal is not in 不予立案 or was already converted.
    """
    from lvzhi.proposals.models import Proposal

    proposal = engine.lock_case(Proposal, proposal_pk)
    if "staff" not in proposal.roles_of(actor):
        raise ForbiddenError("只有工作人员可以将提案转为社情民意信息。")
    if not engine.act_allowed(proposal, "convert", proposal.roles_of(actor)):
        raise DomainError(f"提案处于「{proposal.state.name}」状态，只有不予立案的提案可以转为社情民意信息。")
    if Report.objects.filter(source_proposal=proposal).exists():
        raise DomainError("该提案已转为社情民意信息。")
    if proposal.organisation is not None:
        org = proposal.organisation
        kind = org.kind if org.kind in SubmitterKind.values else SubmitterKind.PEOPLES_ORGANISATION
        who: dict[str, Any] = {"submitter_kind": kind, "organisation": org}
    else:
        who = {"submitter_kind": SubmitterKind.MEMBER, "member": proposal.first_proposer}
    workflow = _workflow(proposal.council_id, REPORT_CASE_TYPE)
    report = Report.objects.create(
        council_id=proposal.council_id, workflow=workflow, state=workflow.initial_state(),
        title=proposal.title[:TITLE_MAX], situation=proposal.situation, analysis=proposal.analysis,
        suggestion=proposal.suggestions, created_by=proposal.created_by, source_proposal=proposal, **who)
    audit.record(report, "converted_from_proposal", actor=actor, to_state=report.state.code,
                 new={"proposal": proposal.pk, "title": report.title, "state_id": report.state_id})
    engine.move(report, "submit", actor=actor, changes={"submitted_at": timezone.now()},
                comment="由不予立案提案转来")
    engine.bump(proposal)
    audit.record(proposal, "converted_to_report", actor=actor, new={"report": report.pk})
    audit.notify(get_user_model().objects.filter(pk__in=report.author_user_ids()), "opinion_converted",
                 f"您的提案《{proposal.title}》已转为社情民意信息。", url=_report_url(report))
    return report


@transaction.atomic
def save_informant(actor: Any, council: Council, *, name: str, member: Member | None = None,
                   organisation: str = "", appointed_on: date | None = None, active: bool = True,
                   informant: Informant | None = None) -> Informant:
    """Appoint (or update) a public-opinion informant (信息员) of ``council``. Staff only."""
    if not has_staff_role(actor, council):
        raise ForbiddenError("只有工作人员可以聘任信息员。")
    name = _clean(name, "name", "姓名", required=True, max_length=NAME_MAX)
    if member is not None and member.council_id != council.pk:
        raise DomainError("该委员不是本机构的委员。", field="member")
    values = {"name": name, "member": member, "organisation": _clean(organisation, "organisation", "所在单位",
                                                                     max_length=100),
              "appointed_on": appointed_on, "active": active}
    if informant is None:
        informant = Informant.objects.create(council=council, **values)
        audit.record(informant, "informant_appointed", actor=actor, council_id=council.pk, new={"name": name})
        return informant
    old = {k: getattr(informant, k) for k in values}
    for k, v in values.items():
        setattr(informant, k, v)
    informant.save(update_fields=list(values))
    audit.record(informant, "informant_updated", actor=actor, council_id=council.pk, old=old, new=values)
    return informant


# ---------------------------------------------------------------------------------------------- messages


def new_tracking_code() -> str:
    """A fresh tracking code: :data:`TRACKING_LENGTH` characters from :data:`TRACKING_ALPHABET` drawn with
    :mod:`secrets` (60 random bits: unguessable)."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def _message_fields(title: Any, body: Any, place: Any, contact: Any, submitter_name: Any) -> dict[str, str]:
    return {"title": _clean(title, "title", "标题", required=True, max_length=TITLE_MAX),
            "body": _clean(body, "body", "内容", required=True, max_length=BODY_MAX),
            "place": _clean(place, "place", "地点", max_length=PLACE_MAX),
            "contact": _clean(contact, "contact", "联系方式", max_length=CONTACT_MAX),
            "submitter_name": _clean(submitter_name, "submitter_name", "姓名", max_length=NAME_MAX)}


def _create_message(council: Council, *, actor: Any, values: dict[str, Any]) -> Message:
    from lvzhi.smart.text import content_hash

    workflow = _workflow(council, MESSAGE_CASE_TYPE)
    state = workflow.initial_state()
    now = timezone.now()
    values.setdefault("submitted_at", now)
    deadline = (add_period(timezone.localdate(now), state.time_limit, state.time_unit)
                if state.time_limit else None)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    council=council, workflow=workflow, state=state, state_deadline=deadline,
                    tracking_code=new_tracking_code(),
                    content_hash=content_hash(values["title"], values["body"]), **values)
            break
        except IntegrityError:  # a tracking-code collision (60 random bits: practically never)
            continue
    else:
        raise DomainError("系统繁忙，请稍后重试。")
    audit.record(message, "created", actor=actor, to_state=state.code,
                 new={"channel": message.channel, "title": message.title, "state_id": state.pk})
    return message


@transaction.atomic
def submit_portal_message(council: Council, *, title: str, body: str, place: str = "", contact: str = "",
                          submitter_name: str = "", photos: Sequence[Any] = ()) -> Message:
    """A citizen posts a message on the public portal (no account). Returns it with its tracking code.

    Title ≤ :data:`TITLE_MAX` and body ≤ :data:`BODY_MAX` characters, both required; place, contact and name
    optional (the message is anonymous unless a name is given; contact and name are never shown publicly).
    Text is stored as given (traditional characters, emoji). ``photos``: up to
    :data:`lvzhi.core.images.PHOTO_MAX_COUNT` uploaded files (JPEG/PNG/WebP, ≤ 5 MB each), checked and
    re-encoded without metadata by :func:`lvzhi.core.images.clean_photos` and attached to the message
    (``照片1.jpg`` …); one bad photo refuses the whole message. Raises :class:`DomainError` naming the field
    (``photos`` for photos). The per-address rate limit is the caller's (``lvzhi.opinions.ratelimit``).
    """
    values: dict[str, Any] = _message_fields(title, body, place, contact, submitter_name)
    clean = images.clean_photos(photos, field="photos")
    values.update(channel=Channel.PORTAL, anonymous=not values["submitter_name"], source="portal")
    message = _create_message(council, actor=None, values=values)
    for index, photo in enumerate(clean, 1):
        attachments.store_photo(photo, message, index=index)
    if clean:
        audit.record(message, "photos_attached", actor=None, new={"photos": len(clean)})
    audit.notify(_staff_users(council.pk), "message_received", f"新群众留言待转办：{message.title}",
                 url=_message_url(message))
    return message


@transaction.atomic
def register_message(actor: Any, council: Council, *, channel: str, title: str, body: str, place: str = "",
                     contact: str = "", submitter_name: str = "", anonymous: bool | None = None,
                     enterprise_name: str = "", member: Member | None = None, visit_leader: str = "",
                     submitted_at: datetime | None = None) -> Message:
    """Staff register a letter (来信), a visit (来访), a portal message taken by phone, or an enterprise issue
    (企业问题, from leaders' visits to members' firms: ``enterprise_name``, the ``member`` and the
    ``visit_leader``). Same field rules as :func:`submit_portal_message`. Raises :class:`DomainError`."""
    _check_council(actor, council)
    if not has_staff_role(actor, council):
        raise ForbiddenError("只有工作人员可以登记来信来访。")
    if channel not in (Channel.PORTAL, Channel.LETTER, Channel.VISIT, Channel.ENTERPRISE):
        raise DomainError("请选择渠道。", field="channel")
    values: dict[str, Any] = _message_fields(title, body, place, contact, submitter_name)
    values["enterprise_name"] = _clean(enterprise_name, "enterprise_name", "企业名称", max_length=100,
                                       required=channel == Channel.ENTERPRISE)
    values["visit_leader"] = _clean(visit_leader, "visit_leader", "走访领导", max_length=50)
    if member is not None and member.council_id != council.pk:
        raise DomainError("该委员不是本机构的委员。", field="member")
    if submitted_at is not None and submitted_at > timezone.now():
        raise DomainError("收到时间不能晚于现在。", field="submitted_at")
    values.update(channel=channel, member=member, created_by=actor, source="staff",
                  anonymous=(not values["submitter_name"]) if anonymous is None else anonymous)
    if submitted_at is not None:
        values["submitted_at"] = submitted_at
    return _create_message(council, actor=actor, values=values)


@transaction.atomic
def route_message(actor: Any, pk: Any, *, unit: HandlingUnit, category: str = "", deadline: date | None = None,
                  suggested: dict[str, Any] | None = None, comment: str = "",
                  expected_version: int | None = None, at: datetime | None = None,
                  shown: list[dict[str, Any]] | None = None) -> Message:
    """Route (转办) a message to ``unit`` with a category and a deadline.

    The deadline defaults to the ``routed`` state's time limit from today (15 working days by default).
    ``at`` records a routing made earlier (on paper, or before the platform was used; default: now): it may
    not lie in the future nor before the message was received, and the deadline then counts from its day.
    A message answered unsatisfactorily may be routed again (重新办理, ``comment`` required). The audit entry
    ``routed`` records what the smart features suggested (``suggested``: e.g. ``{"category": …, "unit": …}``
    as shown to the clerk) and what the clerk ``chosen``, so accuracy in use can be computed; ``shown`` (the
    suggestions the page showed, from its signed form value) is recorded as the smart app's suggestion
    record, here rather than when the page was viewed (a GET writes nothing). Raises
    :class:`DomainError` for a foreign or inactive unit, a past deadline or a wrong state.
    """
    message = engine.lock_case(Message, pk, expected_version=expected_version)
    _require(message, actor, "staff", what="转办")
    if unit is None:
        raise DomainError("请选择承办单位。", field="unit")
    if unit.council_id != message.council_id or not unit.active:
        raise DomainError(f"承办单位「{unit.name}」不可用。", field="unit")
    category = _clean(category, "category", "分类", max_length=50)
    if at is not None and at > timezone.now():
        raise DomainError("转办时间不能晚于现在。", field="at")
    if at is not None and message.submitted_at is not None and at < message.submitted_at:
        raise DomainError("转办时间不能早于收到时间。", field="at")
    start = timezone.localdate(at) if at is not None else _today()
    if deadline is not None and deadline < start:
        raise DomainError("办理期限不能早于今天。" if at is None else "办理期限不能早于转办日期。", field="deadline")
    computed = _deadline_after(message.workflow_id, "route", start)
    chosen_deadline = deadline or computed
    changes = {"unit": unit, "category": category or message.category, "routed_at": at or timezone.now(),
               "deadline": chosen_deadline, "state_deadline": chosen_deadline, "reply_status": ReplyStatus.NONE}
    if shown:  # recorded before the decision, so accuracy in use counts it as shown before it
        from lvzhi.opinions.queries import _smart_service

        service = _smart_service()
        if service is not None:
            service.record_shown(message, shown)
    engine.move(message, "route", actor=actor, comment=_comment(comment), changes=changes)
    audit.record(message, "routed", actor=actor,
                 new={"suggested": suggested or {},
                      "chosen": {"category": changes["category"], "unit": unit.pk, "unit_name": unit.name,
                                 "deadline": chosen_deadline.isoformat() if chosen_deadline else None}})
    audit.notify(_unit_users([unit.pk]), "message_routed",
                 f"转办群众意见：{message.title}，请于 {chosen_deadline:%Y-%m-%d} 前答复。" if chosen_deadline
                 else f"转办群众意见：{message.title}", url=_message_url(message))
    return message


@transaction.atomic
def return_message(actor: Any, pk: Any, *, reason: str) -> Message:
    """The assigned unit sends a message back (退回) with a reason; staff route it again."""
    message = engine.lock_case(Message, pk)
    reason = _clean(reason, "reason", "退回理由", required=True, max_length=BODY_MAX)
    unit = message.unit
    engine.move(message, "send_back", actor=actor, comment=reason,
                changes={"unit": None, "deadline": None, "reply_status": ReplyStatus.NONE, "reply_text": ""})
    audit.notify(_staff_users(message.council_id), "message_returned",
                 f"{unit.name if unit else ''} 退回群众意见：{message.title}：{reason}", url=_message_url(message))
    return message


@transaction.atomic
def reject_message(actor: Any, pk: Any, *, reason: str) -> Message:
    """Staff decline a message (不予受理, e.g. not a matter for the council) with a reason."""
    message = engine.lock_case(Message, pk)
    engine.move(message, "reject", actor=actor, comment=_clean(reason, "reason", "理由", required=True,
                                                                      max_length=BODY_MAX))
    return message


@transaction.atomic
def draft_message_reply(actor: Any, pk: Any, *, text: str, for_signoff: bool = True,
                        expected_version: int | None = None) -> Message:
    """The assigned unit's clerk drafts the reply (``for_signoff``: before the unit leader). Raises
    :class:`DomainError` outside 办理中 or for an empty text, :class:`ForbiddenError` for other accounts."""
    message = engine.lock_case(Message, pk, expected_version=expected_version)
    _require(message, actor, "unit_clerk", "unit_leader", "staff", what="答复该意见")
    if not message.state.units_may_reply:
        raise DomainError(f"该意见处于「{message.state.name}」状态，当前不能答复。")
    text = _clean(text, "text", "答复内容", required=True, max_length=BODY_MAX)
    status = ReplyStatus.PENDING_SIGNOFF if for_signoff else ReplyStatus.DRAFT
    engine.update(message, {"reply_text": text, "reply_status": status, "reply_drafted_by": actor},
                  actor=actor, event="reply_drafted")
    if for_signoff and message.unit_id:
        audit.notify(_unit_users([message.unit_id], Role.UNIT_LEADER), "signoff",
                     f"群众意见答复待签发：{message.title}", url=_message_url(message))
    return message


@transaction.atomic
def sign_off_message_reply(actor: Any, pk: Any, *, expected_version: int | None = None) -> Message:
    """The unit leader signs off and sends the reply: the message becomes 已答复待评价 (the citizen may rate
    it within the ``replied`` state's time limit)."""
    message = engine.lock_case(Message, pk, expected_version=expected_version)
    roles = _require(message, actor, "unit_leader", "staff", "unit_clerk", what="签发答复")
    if "unit_clerk" in roles and not roles & {"unit_leader", "staff"}:
        raise ForbiddenError("须由承办单位负责人签发。")
    if message.reply_status != ReplyStatus.PENDING_SIGNOFF:
        raise DomainError("答复尚未提交签发。")
    unit = message.unit
    engine.move(message, "reply", actor=actor, changes={
        "reply_status": ReplyStatus.SENT, "reply_signed_by": actor, "replied_at": timezone.now(),
        "reply_unit": unit, "reply_unit_name": unit.name if unit else "", "reply_source": "web"})
    audit.notify(_staff_users(message.council_id), "message_replied", f"群众意见已答复：{message.title}",
                 url=_message_url(message))
    following.after_reply(message)
    return message


@transaction.atomic
def publish_message(actor: Any, pk: Any, *, published: bool = True, hide_photos: bool | None = None) -> Message:
    """Staff publish (or withdraw) an answered message on the portal; personal data is masked on display.

    The citizen's photos are shown with a published message unless ``hide_photos`` is true (staff judge
    them when publishing, as FixMyStreet's moderators do); ``None`` keeps the current choice."""
    message = engine.lock_case(Message, pk)
    _require(message, actor, "staff", what="公开该意见")
    if published and message.reply_status != ReplyStatus.SENT:
        raise DomainError("已答复的意见才能公开。", field="published")
    changes: dict[str, Any] = {"published": published}
    if hide_photos is not None:
        changes["photos_hidden"] = bool(hide_photos)
    engine.update(message, changes, actor=actor, event="published" if published else "unpublished")
    return message


@transaction.atomic
def rate_message(tracking_code: str, *, rating: str, comment: str = "") -> Message:
    """The citizen rates the reply by the message's tracking code (满意 / 基本满意 / 不满意), once, within the
    ``replied`` state's time limit (15 working days by default), with an optional ``comment`` (≤
    :data:`RATING_COMMENT_MAX` characters, stripped; optional with 不满意 too — the domain rules [R12][N3]
    ask for the rating only). 满意 and 基本满意 close the message; 不满意 leaves it for staff to route again
    (重新办理). The audit entry ``rated`` holds the rating and the comment. Raises :class:`NotFoundError` for
    an unknown code, :class:`DomainError` outside the window, for a second rating, a value outside the scale
    or an over-long comment (field ``comment``)."""
    holder = CodeHolder(tracking_code)
    pk = Message.objects.filter(tracking_code=holder.tracking_code).values_list("pk", flat=True).first()
    if not holder.tracking_code or pk is None:
        raise NotFoundError("未找到该查询码对应的留言。")
    message = engine.lock_case(Message, pk)
    if rating not in Rating.values:
        raise DomainError("请选择满意、基本满意或不满意。", field="rating")
    if message.rating:
        raise DomainError("您已评价过该答复，请勿重复提交。", field="rating")
    if not message.state.proposer_may_rate:
        raise DomainError(f"该留言处于「{message.state.name}」状态，当前不能评价。", field="rating")
    if message.state_deadline and _today() > message.state_deadline:
        raise DomainError(f"评价期限已过（{message.state_deadline:%Y-%m-%d}）。", field="rating")
    remark = _clean(comment, "comment", "评价说明", max_length=RATING_COMMENT_MAX)
    if rating == Rating.UNSATISFIED:
        engine.update(message, {"rating": rating, "rating_comment": remark, "rated_at": timezone.now()},
                      actor=holder, event="rated")
        audit.notify(_staff_users(message.council_id), "message_unsatisfied",
                     f"群众对答复不满意：{message.title}", url=_message_url(message))
    else:
        engine.move(message, "close", actor=holder, event="rated",
                    changes={"rating": rating, "rating_comment": remark, "rated_at": timezone.now()})
    return message


@transaction.atomic
def close_message(actor: Any, pk: Any, *, comment: str = "") -> Message:
    """Staff close an answered message (e.g. the rating window passed without a rating)."""
    message = engine.lock_case(Message, pk)
    engine.move(message, "close", actor=actor, comment=_comment(comment))
    return message


# ---------------------------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    """Counts of one import run: rows ``read``, messages ``created``, ``duplicates`` skipped (same external id
    or same normalised title and body as a stored or earlier row), of the created ones ``with_reply``,
    ``unit_from_signature`` (reply unit read from the signature) and ``unit_matched`` (matched to a
    :class:`HandlingUnit`), and ``undated`` (no parsable 留言时间)."""

    read: int = 0
    created: int = 0
    duplicates: int = 0
    with_reply: int = 0
    unit_from_signature: int = 0
    unit_matched: int = 0
    undated: int = 0
    errors: list[str] = field(default_factory=list)


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def import_messages(council: Council, messages: Iterable[Any], *, actor: Any = None, batch_size: int = 500,
                    progress: Callable[[int], None] | None = None) -> ImportResult:
    """Store citizens' messages read by :func:`lvzhi.opinions.sources.read_messages` (``SourceMessage``s).

    Each new message gets channel 导入 (``imported``), source ``import``, its external id (留言编号), text as
    cleaned by the reader, category (一级分类), likes/dislikes and, when the file has one, the reply with its
    time (``reply_source`` ``import``; the unit read from the signature into ``reply_unit_name``, matched
    to a handling unit of the same name). Messages with a reply are stored as 已办结 (closed), the others as
    待转办. Duplicates — an external id already stored in the council or seen earlier in the run, or the
    same normalised title + body (:func:`lvzhi.smart.text.content_hash`) — are skipped and counted, so a
    re-import creates nothing. Writes in batches of ``batch_size`` rows inside one transaction for the whole
    file (a failure leaves the data as it was); ``progress(n)`` is called after each batch with the rows
    handled. Returns an :class:`ImportResult`.
    """
    from lvzhi.smart.text import content_hash

    result = ImportResult()
    workflow = _workflow(council, MESSAGE_CASE_TYPE)
    # An answered message arrives closed (the state the ``close`` act leads to), else in the initial state.
    received = workflow.initial_state()
    closed = engine.state_after(workflow.pk, "close")
    units = {u.name: u for u in HandlingUnit.objects.filter(council=council)}
    seen_ids: set[str] = set()
    seen_hashes: set[str] = set()
    batch: list[Any] = []

    def flush() -> None:
        if not batch:
            return
        ids = [m.external_id for m in batch if m.external_id]
        hashes = [content_hash(m.title, m.body) for m in batch]
        stored_ids = set(Message.objects.filter(council=council, source="import", external_id__in=ids)
                         .values_list("external_id", flat=True))
        stored_hashes = set(Message.objects.filter(council=council, content_hash__in=hashes)
                            .values_list("content_hash", flat=True))
        new: list[Message] = []
        for src, digest in zip(batch, hashes, strict=True):
            if ((src.external_id and (src.external_id in stored_ids or src.external_id in seen_ids))
                    or digest in stored_hashes or digest in seen_hashes):
                result.duplicates += 1
                continue
            seen_ids.add(src.external_id)
            seen_hashes.add(digest)
            if not src.title or not src.body:
                result.errors.append(f"{src.external_id}：标题或内容为空，已跳过")
                continue
            reply = (src.reply or "").strip()
            unit_name = reply_unit_from_signature(reply)[:100] if reply else ""
            submitted = _aware(src.submitted_at)
            if submitted is None:
                result.undated += 1
            state = closed if reply else received
            new.append(Message(
                council=council, workflow=workflow, state=state, channel=Channel.IMPORTED,
                title=src.title[:TITLE_MAX], body=src.body, anonymous=True, tracking_code=new_tracking_code(),
                category=(src.category or "")[:50], submitted_at=submitted, likes=src.likes,
                dislikes=src.dislikes, source="import", external_id=src.external_id[:64], content_hash=digest,
                reply_text=reply, reply_status=ReplyStatus.SENT if reply else ReplyStatus.NONE,
                replied_at=_aware(src.replied_at) if reply else None, reply_source="import" if reply else "",
                reply_unit_name=unit_name, reply_unit=units.get(unit_name) if unit_name else None,
                created_by=actor if getattr(actor, "pk", None) else None))
            result.with_reply += bool(reply)
            result.unit_from_signature += bool(unit_name)
            result.unit_matched += bool(unit_name and unit_name in units)
        with transaction.atomic():
            created = Message.objects.bulk_create(new)
            if created and created[0].pk is None:  # backends without RETURNING: fetch the new ids
                codes = [m.tracking_code for m in created]
                pks = dict(Message.objects.filter(tracking_code__in=codes).values_list("tracking_code", "pk"))
                for m in created:
                    m.pk = pks[m.tracking_code]
            ct = ContentType.objects.get_for_model(Message)
            AuditEntry.objects.bulk_create([
                AuditEntry(council_id=council.pk, actor=actor if getattr(actor, "pk", None) else None,
                           target_type=ct, target_id=m.pk, event="imported", to_state=m.state.code,
                           new_values={"external_id": m.external_id, "channel": m.channel, "state_id": m.state_id})
                for m in created])
        result.created += len(created)
        if progress is not None:
            progress(len(batch))
        batch.clear()

    with transaction.atomic():  # the whole file or nothing
        for src in messages:
            result.read += 1
            batch.append(src)
            if len(batch) >= batch_size:
                flush()
        flush()
    return result
