"""The only writers of proposals (Zulip's ``actions`` convention).

Each public function is one act of one user. It runs in one transaction, locks the proposal, checks the
workflow graph and the actor's role through :mod:`lvzhi.workflow.engine`, writes, records one audit entry
per changed object and queues notifications for after the commit. A refusal raises a
:class:`~lvzhi.core.errors.DomainError` (message in Chinese, ``field`` naming the input) and leaves the
data as it was. Views, the API, the importer, the demo loader and the tests all call these functions.

Rules come from ``shared/domain/WORKFLOWS.md`` §1 (sources R1–R20b there); time limits from the workflow
data and the council's policy (``members.Council``), never from constants here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases.policy import take_doc_number
from lvzhi.core import attachments, audit
from lvzhi.core.calendar import add_period
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.core.search import index_text
from lvzhi.members.access import profile_of
from lvzhi.members.choices import CouncilKind, Role
from lvzhi.members.models import HandlingUnit, Member, Organisation, Session
from lvzhi.proposals.access import visible_proposals
from lvzhi.proposals.choices import (
    ORGANISATION_PROPOSER_KINDS,
    PLENARY_ONLY_KINDS,
    REPLYING_ROLES,
    SECTION_MAX,
    AssignmentRole,
    AssignmentStatus,
    CoSignStatus,
    NotFiledGround,
    ProposerKind,
    ReplyStatus,
    Satisfaction,
)
from lvzhi.proposals.models import (
    Assignment,
    CaseNumberCounter,
    Category,
    CoSigner,
    Evaluation,
    FollowUp,
    Proposal,
    Reply,
)
from lvzhi.workflow import engine
from lvzhi.workflow.models import ReplyGrade, Workflow

EDITABLE_FIELDS = ("title", "category", "situation", "analysis", "suggestions")


# ---------------------------------------------------------------------------------------------- helpers


def _url(proposal: Proposal) -> str:
    return reverse("proposal-detail", args=[proposal.pk])


def _today() -> date:
    return timezone.localdate()


def _unit_users(unit_ids: Iterable[int], *roles: str) -> list[Any]:
    user_model = get_user_model()
    return list(user_model.objects.filter(profile__unit_id__in=list(unit_ids), profile__role__in=roles or
                                          (Role.UNIT_CLERK, Role.UNIT_LEADER), is_active=True).distinct())


def _staff_users(council_id: int) -> list[Any]:
    return list(get_user_model().objects.filter(profile__council_id=council_id, profile__role=Role.STAFF,
                                                is_active=True).distinct())


def _proposer_users(proposal: Proposal) -> list[Any]:
    ids = proposal.proposer_user_ids()
    for merged in proposal.merged_proposals.all():
        ids |= merged.proposer_user_ids()
    return list(get_user_model().objects.filter(pk__in=ids))


def _require(proposal: Proposal, actor: Any, *roles: str, what: str) -> set[str]:
    held = proposal.roles_of(actor)
    if not held.intersection(roles):
        raise ForbiddenError(f"您无权{what}。")
    return held


def _lock(pk: Any, expected_version: int | None = None) -> Proposal:
    return engine.lock_case(Proposal, pk, expected_version=expected_version)


def _lock_to(pk: Any, actor: Any, act: str, expected_version: int | None) -> Proposal:
    """Lock proposal ``pk`` for ``actor``'s act ``act``: the workflow's roles are checked before the
    version, so that a request the actor may not make is refused as such (:class:`ForbiddenError`), never as
    "changed by someone else" (:class:`ConflictError`)."""
    proposal = _lock(pk)
    engine.authorize(proposal, act, actor, expected_version=expected_version)
    return proposal


SECTION_LABELS = {"situation": "情况", "analysis": "分析", "suggestions": "具体建议"}


def _clean_text(value: str | None, field: str, label: str, *, required: bool, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if max_length and len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length} 个字（现有 {len(text)} 个）。", field=field)
    return text


def _reindex(proposal: Proposal, overrides: dict[str, Any] | None = None) -> str:
    """The search text of ``proposal`` as it will be once ``overrides`` (field → value) are applied."""
    def get(name: str) -> str:
        return str((overrides or {}).get(name, getattr(proposal, name)) or "")
    return index_text(get("title"), proposal.proposer_name, get("situation"), get("analysis"),
                      get("suggestions"), get("number"))


def proposal_workflow(council_id: int) -> Workflow:
    workflow = Workflow.objects.filter(council_id=council_id, case_type="proposal", active=True).first()
    if workflow is None:
        raise DomainError("该机构尚未配置提案办理流程，请先运行 lvzhi setup。")
    return workflow


def _deadline_after(workflow_id: int, act: str, start: date) -> date:
    """``start`` plus the time limit of the state act ``act`` leads to (e.g. 办理中 after ``assign``)."""
    state = engine.state_after(workflow_id, act)
    if not state.time_limit:
        raise DomainError(f"流程状态「{state.name}」未设置时限，无法计算答复期限。")
    return add_period(start, state.time_limit, state.time_unit)


# ---------------------------------------------------------------------------------------------- drafting


@transaction.atomic
def create_proposal(actor: Any, *, session: Session, title: str, category: Category | None = None,
                    proposer_kind: str = ProposerKind.MEMBER, first_proposer: Member | None = None,
                    organisation: Organisation | None = None, situation: str = "", analysis: str = "",
                    suggestions: str = "", cosigners: Sequence[Member] = (), source: str = "web",
                    external_id: str = "", is_demo: bool = False, serial: str = "") -> Proposal:
    """Create a draft proposal; returns it in the workflow's initial state (草稿).

    A member drafts for themself (``first_proposer`` defaults to the actor's member); an organisation's
    proposal names ``organisation`` and is entered by one of its members or by staff. Co-signers are invited
    at once (see :func:`invite_cosigners`). ``serial`` keeps an imported proposal's original submission
    number (otherwise one is given at submission). Raises :class:`DomainError` for a missing title or proposer, a
    title over 200 characters, or an organisation of the wrong kind.
    """
    profile = profile_of(actor)
    if profile is None or profile.role not in (Role.MEMBER, Role.STAFF, Role.ADMIN):
        raise ForbiddenError("只有委员或提案工作人员可以起草提案。")
    council = session.term.council
    if profile.role != Role.ADMIN or profile.council_id is not None:
        if profile.council_id != council.pk:
            raise ForbiddenError("您不能为其他机构起草提案。")
    if council.kind != CouncilKind.CPPCC:
        raise DomainError("提案只在政协提出；人大代表请提出代表建议。", field="session")
    title = _clean_text(title, "title", "案由", required=True, max_length=200)
    if proposer_kind not in ProposerKind.values:
        raise DomainError("提案者类型无效。", field="proposer_kind")
    if proposer_kind in ORGANISATION_PROPOSER_KINDS:
        if organisation is None:
            raise DomainError("集体提案须选择提案单位。", field="organisation")
        expected_kind = {"party_group": "party_group", "peoples_org": "peoples_org",
                         "special_committee": "special_committee", "sector": "sector",
                         "member_group": "member_group"}[proposer_kind]
        if organisation.kind != expected_kind or organisation.council_id != council.pk:
            raise DomainError("提案单位与提案者类型不符。", field="organisation")
        if profile.role == Role.MEMBER and organisation not in (profile.member.organisations()
                                                                 if profile.member else []):
            raise ForbiddenError("您不是该组织的成员，不能以其名义提出提案。")
        first_proposer = None
    else:
        if first_proposer is None and profile.role == Role.MEMBER:
            first_proposer = profile.member
        if first_proposer is None:
            raise DomainError("请选择第一提案人。", field="first_proposer")
        if profile.role == Role.MEMBER and first_proposer != profile.member:
            raise ForbiddenError("委员只能以本人名义提出提案。")
        if first_proposer.council_id != council.pk:
            raise DomainError("第一提案人不是本机构的委员。", field="first_proposer")
        organisation = None
    if category is not None and category.council_id != council.pk:
        raise DomainError("提案类别不属于本机构。", field="category")
    if cosigners and proposer_kind == ProposerKind.MEMBER:
        proposer_kind = ProposerKind.JOINT  # invited co-signers make it a joint proposal from the start
    workflow = proposal_workflow(council.pk)
    proposal = Proposal(
        council=council, session=session, workflow=workflow, state=workflow.initial_state(), title=title,
        category=category, proposer_kind=proposer_kind, first_proposer=first_proposer,
        organisation=organisation, created_by=actor,
        situation=_clean_text(situation, "situation", "情况", required=False, max_length=SECTION_MAX),
        analysis=_clean_text(analysis, "analysis", "分析", required=False, max_length=SECTION_MAX),
        suggestions=_clean_text(suggestions, "suggestions", "具体建议", required=False, max_length=SECTION_MAX),
        source=source, external_id=external_id, is_demo=is_demo, serial=serial.strip()[:30],
    )
    proposal.search_text = _reindex(proposal)
    proposal.save()
    audit.record(proposal, "created", actor=actor, to_state=proposal.state.code,
                 new={"title": title, "proposer_kind": proposer_kind, "state_id": proposal.state_id})
    if cosigners:
        _invite(proposal, actor, cosigners)
    return proposal


@transaction.atomic
def update_draft(actor: Any, pk: Any, *, expected_version: int | None = None, **fields: Any) -> Proposal:
    """Change the text of a proposal while its state lets the submitter edit (草稿, 退回修改), by the proposer's
    account (:meth:`Proposal.proposer_user_ids`); anyone else gets :class:`ForbiddenError`.

    ``fields`` may hold ``title``, ``category``, ``situation``, ``analysis``, ``suggestions``. Raises
    :class:`ConflictError` when ``expected_version`` is stale, :class:`DomainError` when the state does not
    allow editing or a field is invalid.
    """
    proposal = _lock(pk)
    # Only the accounts that speak for the proposer (the member, or the staff who entered a paper or an
    # organisation's proposal — Proposal.proposer_user_ids): the same rule as the edit page. Other staff never
    # rewrite a member's text; they return it with a comment.
    _require(proposal, actor, "proposer", what="修改该提案")
    engine.check_version(proposal, expected_version)
    if not proposal.state.submitter_may_edit:
        raise DomainError(f"提案处于「{proposal.state.name}」状态，不能修改。")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不能修改字段：{'、'.join(sorted(unknown))}。")
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "title":
            value = _clean_text(value, "title", "案由", required=True, max_length=200)
        elif name == "category":
            if value is not None and value.council_id != proposal.council_id:
                raise DomainError("提案类别不属于本机构。", field="category")
        else:
            value = _clean_text(value, name, SECTION_LABELS[name], required=False, max_length=SECTION_MAX)
        changes[name] = value
    changes["search_text"] = _reindex(proposal, changes)
    engine.update(proposal, changes, actor=actor, event="edited")
    return proposal


def _invite(proposal: Proposal, actor: Any, members: Sequence[Member]) -> list[CoSigner]:
    expires = _today() + timedelta(days=proposal.council.cosign_days)
    created = []
    for member in members:
        if member.council_id != proposal.council_id:
            raise DomainError(f"{member.name} 不是本机构的委员。", field="cosigners")
        if member.pk == proposal.first_proposer_id:
            raise DomainError("第一提案人不能同时作为联名人。", field="cosigners")
        obj, made = CoSigner.objects.get_or_create(proposal=proposal, member=member,
                                                   defaults={"expires_at": expires})
        if not made and obj.status in (CoSignStatus.DECLINED, CoSignStatus.EXPIRED):
            obj.status, obj.expires_at, obj.responded_at = CoSignStatus.PENDING, expires, None
            obj.save(update_fields=["status", "expires_at", "responded_at"])
            made = True
        if made:
            created.append(obj)
            audit.record(proposal, "cosigner_invited", actor=actor, new={"member": member.name,
                                                                        "expires_at": expires})
            user = getattr(getattr(member, "profile", None), "user", None)
            audit.notify([user], "cosign", f"{proposal.proposer_name} 邀请您联名提案《{proposal.title}》，"
                         f"请于 {expires:%Y-%m-%d} 前确认。", url=_url(proposal))
    if created and proposal.proposer_kind == ProposerKind.MEMBER:
        # 个人 → 联名: a change of the proposal itself (audited, new version: open edit pages are stale).
        engine.update(proposal, {"proposer_kind": ProposerKind.JOINT}, actor=actor, event="edited")
    return created


@transaction.atomic
def invite_cosigners(actor: Any, pk: Any, members: Sequence[Member]) -> list[CoSigner]:
    """Invite ``members`` to co-sign; each must confirm before ``council.cosign_days`` calendar days pass.

    Only while the proposer may edit. Re-inviting someone who declined or let the invitation lapse renews
    it. Raises :class:`DomainError` for a member of another council or the first proposer themself.
    """
    proposal = _lock(pk)
    _require(proposal, actor, "proposer", what="邀请联名人")
    if not proposal.state.submitter_may_edit:
        raise DomainError("提案已提交，不能再邀请联名人。")
    if proposal.proposer_kind not in (ProposerKind.MEMBER, ProposerKind.JOINT):
        raise DomainError("集体提案不设联名人。", field="cosigners")
    return _invite(proposal, actor, members)


def respond_to_invitation(actor: Any, pk: Any, *, accept: bool) -> CoSigner:
    """The invited member confirms (``accept=True``) or declines co-signing proposal ``pk``.

    Raises :class:`NotFoundError` when the actor was not invited, :class:`DomainError` when the invitation
    has expired, was already answered, or the proposal is no longer open for co-signing. A late answer
    marks the invitation expired (audit ``cosign_lapsed``) and that mark is committed before the answer is
    refused: the refusal rolls back nothing of it (the caller must not wrap this call in a transaction it
    rolls back on the refusal).
    """
    with transaction.atomic():
        cosigner, lapsed = _respond(actor, pk, accept=accept)
    if lapsed:
        raise DomainError(f"联名邀请已于 {cosigner.expires_at:%Y-%m-%d} 过期，不能再答复。")
    return cosigner


def _respond(actor: Any, pk: Any, *, accept: bool) -> tuple[CoSigner, bool]:
    """The writes of :func:`respond_to_invitation`; ``(cosigner, True)`` when the invitation lapsed instead."""
    profile = profile_of(actor)
    proposal = _lock(pk)
    cosigner = (CoSigner.objects.filter(proposal=proposal, member_id=profile.member_id).first()
                if profile is not None and profile.member_id else None)
    if cosigner is None:
        raise NotFoundError()
    if cosigner.status != CoSignStatus.PENDING:
        raise DomainError(f"您已答复过该联名邀请（{cosigner.get_status_display()}）。")
    if not proposal.state.submitter_may_edit:
        raise DomainError("提案已提交，联名邀请已关闭。")
    if _today() > cosigner.expires_at:
        cosigner.status = CoSignStatus.EXPIRED
        cosigner.save(update_fields=["status"])
        audit.record(proposal, "cosign_lapsed", actor=actor, new={"member": cosigner.member.name})
        return cosigner, True
    cosigner.status = CoSignStatus.CONFIRMED if accept else CoSignStatus.DECLINED
    cosigner.responded_at = timezone.now()
    cosigner.save(update_fields=["status", "responded_at"])
    # No version bump: a co-signer's answer does not make the proposer's open edit page stale.
    audit.record(proposal, "cosign_confirmed" if accept else "cosign_declined", actor=actor,
                 new={"member": cosigner.member.name})
    audit.notify(_proposer_users(proposal), "cosign",
                 f"{cosigner.member.name}{'确认' if accept else '拒绝'}联名提案《{proposal.title}》。",
                 url=_url(proposal))
    return cosigner, False


# ---------------------------------------------------------------------------------------------- submitting


def _next_serial(proposal: Proposal) -> str:
    """The next submission serial (提交编号) of the proposal's session: term, two-digit session number and a
    four-digit sequence (``14030001``). The session's row is locked while counting (the session is the
    counter's row, like :class:`CaseNumberCounter` for case numbers), so two simultaneous submits wait for
    each other and never get the same serial (PostgreSQL; SQLite serialises writers anyway)."""
    session = Session.objects.select_for_update().select_related("term").get(pk=proposal.session_id)
    count = Proposal.objects.filter(session=session).exclude(serial="").count()
    return f"{session.term.number}{session.number:02d}{count + 1:04d}"


@transaction.atomic
def submit_proposal(actor: Any, pk: Any, *, expected_version: int | None = None,
                    at: datetime | None = None) -> Proposal:
    """Submit a draft (or a returned proposal) for review.

    Checks one matter per proposal is stated (案由 and 具体建议 present), that a joint proposal has at least
    one confirmed co-signer (pending invitations lapse at submission: the proposal goes on with its
    confirmed co-signers only), and that sectors and member groups submit only during the plenary. Marks
    the proposal plenary (大会提案) when submitted in the session's window. ``at`` backdates the
    submission for imports. Raises :class:`DomainError` / :class:`ConflictError`; a double submit finds the
    proposal no longer in 草稿 and is refused.
    """
    proposal = _lock(pk, expected_version)
    when = at or timezone.now()
    day = timezone.localdate(when) if timezone.is_aware(when) else when.date()
    if not proposal.suggestions.strip():
        raise DomainError("请填写「具体建议」后再提交。", field="suggestions")
    if not engine.has_act(proposal, "submit"):
        raise DomainError(f"提案已处于「{proposal.state.name}」状态，请勿重复提交。")
    pending = CoSigner.objects.filter(proposal=proposal, status=CoSignStatus.PENDING)
    for lapsed in pending:
        audit.record(proposal, "cosign_lapsed", actor=actor, new={"member": lapsed.member.name})
    pending.update(status=CoSignStatus.EXPIRED)
    if proposal.proposer_kind == ProposerKind.JOINT and not proposal.cosigners.filter(
            status=CoSignStatus.CONFIRMED).exists():
        raise DomainError("联名提案须至少有一位联名人确认；尚无人确认时请改为个人提案或等待确认。",
                          field="cosigners")
    if proposal.proposer_kind in PLENARY_ONLY_KINDS and not proposal.session.during_plenary(day):
        raise DomainError("界别和委员小组只能在全体会议期间提出提案。", field="proposer_kind")
    changes: dict[str, Any] = {"submitted_at": when, "is_plenary": proposal.session.is_plenary_date(day)}
    if not proposal.serial:
        changes["serial"] = _next_serial(proposal)
    engine.move(proposal, "submit", actor=actor, changes=changes)
    audit.notify(_staff_users(proposal.council_id), "submitted", f"新提案待审查：《{proposal.title}》",
                 url=_url(proposal))
    return proposal


@transaction.atomic
def withdraw_proposal(actor: Any, pk: Any, *, expected_version: int | None = None) -> Proposal:
    """The proposer withdraws a proposal before it is filed."""
    proposal = _lock_to(pk, actor, "withdraw", expected_version)
    engine.move(proposal, "withdraw", actor=actor)
    return proposal


# ---------------------------------------------------------------------------------------------- review


@transaction.atomic
def return_for_revision(actor: Any, pk: Any, *, comment: str, expected_version: int | None = None) -> Proposal:
    """Pre-review (预审) sends the proposal back to the proposer for improvement with ``comment``."""
    proposal = _lock_to(pk, actor, "return", expected_version)
    engine.move(proposal, "return", actor=actor, comment=comment)
    audit.notify(_proposer_users(proposal), "returned", f"提案《{proposal.title}》被退回修改：{comment}",
                 url=_url(proposal))
    return proposal


def _next_case_number(proposal: Proposal) -> str:
    session = proposal.session
    counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(session=session)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    pattern = proposal.council.case_number_pattern
    try:
        return pattern.format(term=session.term.number, session=session.number, seq=counter.last_value,
                              year=session.plenary_start.year)
    except (KeyError, IndexError, ValueError) as exc:
        raise DomainError(f"案号格式「{pattern}」无效，请管理员修改（可用字段：term、session、year、seq）。",
                          field="case_number_pattern") from exc


@transaction.atomic
def file_proposal(actor: Any, pk: Any, *, category: Category | None = None, comment: str = "",
                  expected_version: int | None = None) -> Proposal:
    """File (立案) a submitted proposal: it gets the next case number of its session from the council's
    pattern (``{term}-{session}-{seq:03d}`` by default, e.g. ``14-3-001``)."""
    proposal = _lock_to(pk, actor, "file", expected_version)
    if category is not None and category.council_id != proposal.council_id:
        raise DomainError("提案类别不属于本机构。", field="category")
    number = _next_case_number(proposal)
    changes: dict[str, Any] = {"number": number, "filed_at": timezone.now()}
    if category is not None:
        changes["category"] = category
    changes["search_text"] = _reindex(proposal, {"number": number})
    engine.move(proposal, "file", actor=actor, comment=comment, changes=changes)
    audit.notify(_proposer_users(proposal), "filed", f"提案《{proposal.title}》已立案，案号 {number}。",
                 url=_url(proposal))
    return proposal


@transaction.atomic
def not_file_proposal(actor: Any, pk: Any, *, ground: str, comment: str,
                      expected_version: int | None = None) -> Proposal:
    """Decline to file (不予立案) on one statutory ``ground`` (:class:`NotFiledGround`) with a note to the
    proposer in ``comment``. The proposal may later be converted into a public-opinion report."""
    if ground not in NotFiledGround.values:
        raise DomainError("请选择不予立案的理由。", field="ground")
    proposal = _lock_to(pk, actor, "not_file", expected_version)
    engine.move(proposal, "not_file", actor=actor, comment=comment, changes={"not_filed_ground": ground})
    audit.notify(_proposer_users(proposal), "not_filed",
                 f"提案《{proposal.title}》不予立案（{NotFiledGround(ground).label}）：{comment}", url=_url(proposal))
    return proposal


@transaction.atomic
def merge_proposals(actor: Any, main_pk: Any, other_pks: Sequence[Any], *, comment: str = "") -> Proposal:
    """Merge (并案) the submitted proposals ``other_pks`` into ``main_pk`` (submitted or filed).

    The merged ones end in 已并案 pointing at the main proposal; their proposers are answered with the main
    case's replies and may rate them. Raises :class:`DomainError` when a proposal is of another council or
    not awaiting review, or when the list is empty or contains the main proposal; (field ``others``) when one
    of them is missing or not visible to ``actor`` — checked after the merge permission, so that someone who
    may not merge is refused the same (403) whatever they list, on the page and through the API.
    """
    others = [p for p in dict.fromkeys(str(x) for x in other_pks) if p != str(main_pk)]
    if not others:
        raise DomainError("请选择要并入的提案。", field="others")
    main = _lock(main_pk)
    engine.check_act(main, "merge", actor, field="main")  # the workflow's merge permission (data)
    visible = {str(pk) for pk in visible_proposals(actor).filter(
        pk__in=[int(p) for p in others if p.isdigit()]).values_list("pk", flat=True)}
    for pk in others:
        if pk not in visible:
            raise DomainError(f"提案（id {pk}）未找到，或您无权查看。", field="others")
    for pk in others:
        other = _lock(pk)
        if other.council_id != main.council_id:
            raise DomainError(f"提案《{other.title}》不属于本机构。", field="others")
        if other.merged_into_id:
            raise DomainError(f"提案《{other.title}》已并入其他提案。", field="others")
        engine.move(other, "merge", actor=actor, comment=comment or f"并入《{main.title}》",
                    changes={"merged_into": main})
        audit.notify(_proposer_users(other), "merged", f"提案《{other.title}》已与《{main.title}》并案办理。",
                     url=_url(other))
    audit.record(main, "merged_in", actor=actor, comment=comment, new={"merged": others})
    return main


# ---------------------------------------------------------------------------------------------- assignment


def _validate_plan(plan: Sequence[tuple[HandlingUnit, str]], council_id: int) -> None:
    if not plan:
        raise DomainError("请选择承办单位。", field="units")
    roles = [r for _, r in plan]
    units = [u.pk for u, _ in plan]
    if len(set(units)) != len(units):
        raise DomainError("同一承办单位不能重复交办。", field="units")
    for unit, role in plan:
        if role not in AssignmentRole.values:
            raise DomainError("办理方式无效。", field="units")
        if unit.council_id != council_id or not unit.active:
            raise DomainError(f"承办单位「{unit.name}」不可用。", field="units")
    if AssignmentRole.SOLE in roles and len(plan) > 1:
        raise DomainError("单办只能交给一个承办单位。", field="units")
    if AssignmentRole.CO in roles and roles.count(AssignmentRole.LEAD) != 1:
        raise DomainError("有会办单位时须确定一个主办单位。", field="units")
    if roles.count(AssignmentRole.LEAD) > 1:
        raise DomainError("主办单位只能有一个。", field="units")
    if AssignmentRole.SEPARATE in roles and set(roles) != {AssignmentRole.SEPARATE}:
        raise DomainError("分办不能与主办、会办混用。", field="units")


def _create_assignments(proposal: Proposal, plan: Sequence[tuple[HandlingUnit, str]], actor: Any,
                        round_: int = 1, on: date | None = None) -> list[Assignment]:
    today = on or _today()
    council = proposal.council
    deadline = _deadline_after(proposal.workflow_id, "assign", today)
    sendback = add_period(today, council.sendback_limit, council.sendback_limit_unit)
    opinion_deadline = add_period(today, council.opinion_limit, council.opinion_limit_unit)
    created = []
    for unit, role in plan:
        created.append(Assignment.objects.create(
            proposal=proposal, unit=unit, role=role, assigned_by=actor, round=round_,
            deadline=opinion_deadline if role == AssignmentRole.CO else deadline, sendback_deadline=sendback))
        audit.record(proposal, "assigned_unit", actor=actor,
                     new={"unit": unit.name, "role": role, "deadline": deadline})
        audit.notify(_unit_users([unit.pk]), "assigned",
                     f"新交办提案（{AssignmentRole(role).label}）：{proposal.number}《{proposal.title}》，"
                     f"请于 {deadline:%Y-%m-%d} 前答复。", url=_url(proposal))
    return created


@transaction.atomic
def assign_proposal(actor: Any, pk: Any, plan: Sequence[tuple[HandlingUnit, str]], *,
                    expected_version: int | None = None, comment: str = "",
                    on: date | None = None) -> list[Assignment]:
    """Assign (交办) a filed proposal. ``plan`` is ``[(unit, role), …]`` with role ``sole`` (one unit),
    ``lead`` + ``co`` (one lead, any co-handling), or ``separate`` (each replies).

    Reply deadline: the ``assigned`` state's time limit from today (3 months by default [R9]); a co-handling
    unit's deadline for its opinion to the lead unit: the council's opinion limit (1 month [R10]); send-back
    limit: the council's (5 working days [R13]). When the proposal is already being handled (after a unit
    sent it back), the new units are added to it. ``on`` is the day of an assignment made earlier (on paper;
    default today): every deadline counts from it. Raises :class:`DomainError` for an invalid plan or a day
    in the future.
    """
    if on is not None and on > _today():
        raise DomainError("交办日期不能晚于今天。", field="on")
    proposal = _lock(pk)
    if engine.has_act(proposal, "assign"):
        engine.authorize(proposal, "assign", actor, expected_version=expected_version)
        roles: set[str] = set()
    else:
        roles = _require(proposal, actor, "staff", what="交办")
        engine.check_version(proposal, expected_version)
    _validate_plan(plan, proposal.council_id)
    if engine.has_act(proposal, "assign"):
        created = _create_assignments(proposal, plan, actor, on=on)
        engine.move(proposal, "assign", actor=actor, comment=comment)
        return created
    if engine.act_allowed(proposal, "reassign", roles):
        active = proposal.assignments.exclude(status__in=[AssignmentStatus.SENT_BACK, AssignmentStatus.WITHDRAWN])
        if active.filter(unit__in=[u for u, _ in plan]).exists():
            raise DomainError("该单位已在办理此提案。", field="units")
        existing_roles = set(active.values_list("role", flat=True))
        roles = {r for _, r in plan}
        if AssignmentRole.LEAD in roles and AssignmentRole.LEAD in existing_roles:
            raise DomainError("该提案已有主办单位。", field="units")
        if AssignmentRole.SOLE in existing_roles or (AssignmentRole.SOLE in roles and existing_roles):
            raise DomainError("单办提案只能有一个承办单位。", field="units")
        created = _create_assignments(proposal, plan, actor, round_=max(
            proposal.assignments.values_list("round", flat=True), default=1), on=on)
        engine.bump(proposal)
        audit.record(proposal, "reassigned", actor=actor, comment=comment,
                     new={"units": [u.name for u, _ in plan]})
        return created
    raise DomainError(f"提案处于「{proposal.state.name}」状态，不能交办。")


def assign_batch(actor: Any, pks: Sequence[Any], plan: Sequence[tuple[HandlingUnit, str]]) -> int:
    """Assign several filed proposals with the same plan, all or none (one transaction).

    Raises :class:`DomainError` naming the first proposal that cannot be assigned; nothing is assigned then.
    Returns the number of proposals assigned.
    """
    with transaction.atomic():
        for pk in pks:
            try:
                assign_proposal(actor, pk, plan)
            except DomainError as exc:
                title = Proposal.objects.filter(pk=pk).values_list("title", flat=True).first() or pk
                exc.message = f"《{title}》：{exc.message}"
                raise
    return len(pks)


def _unit_assignment(actor: Any, assignment_pk: Any, *, leader_only: bool = False) -> Assignment:
    profile = profile_of(actor)
    assignment = (Assignment.objects.select_for_update().select_related("proposal", "unit")
                  .filter(pk=assignment_pk).first())
    if assignment is None or profile is None:
        raise NotFoundError()
    if profile.unit_id != assignment.unit_id:
        if not (profile.role in (Role.STAFF, Role.ADMIN) and
                "staff" in assignment.proposal.roles_of(actor)):
            raise NotFoundError()
    elif leader_only and profile.role != Role.UNIT_LEADER:
        raise ForbiddenError("须由承办单位负责人签发。")
    return assignment


@transaction.atomic
def send_back(actor: Any, assignment_pk: Any, *, reason: str) -> Assignment:
    """A unit sends a case back (申退) within its send-back limit, with reasons; staff then reassign it.

    Units may not pass cases on themselves. Raises :class:`DomainError` after the limit, without a reason,
    or when the unit has already replied.
    """
    assignment = _unit_assignment(actor, assignment_pk)
    reason = _clean_text(reason, "reason", "申退理由", required=True)
    if assignment.status != AssignmentStatus.HANDLING:
        raise DomainError(f"该交办处于「{assignment.get_status_display()}」状态，不能申退。")
    if _today() > assignment.sendback_deadline:
        raise DomainError(f"申退期限已过（{assignment.sendback_deadline:%Y-%m-%d}），请与提案委员会联系。",
                          field="reason")
    proposal = _lock(assignment.proposal_id)
    assignment.status, assignment.sendback_reason = AssignmentStatus.SENT_BACK, reason
    assignment.save(update_fields=["status", "sendback_reason"])
    engine.bump(proposal)
    audit.record(proposal, "sent_back", actor=actor, comment=reason, new={"unit": assignment.unit.name})
    audit.notify(_staff_users(proposal.council_id), "sent_back",
                 f"{assignment.unit.name} 申退提案 {proposal.number}《{proposal.title}》：{reason}", url=_url(proposal))
    return assignment


@transaction.atomic
def send_opinion(actor: Any, assignment_pk: Any, *, text: str) -> Assignment:
    """A co-handling unit (会办) sends its opinion to the lead unit (within one month by default [R10])."""
    assignment = _unit_assignment(actor, assignment_pk)
    proposal = _lock(assignment.proposal_id)
    if assignment.role != AssignmentRole.CO:
        raise DomainError("只有会办单位需要向主办单位提交会办意见。")
    if assignment.status != AssignmentStatus.HANDLING:
        raise DomainError(f"该交办处于「{assignment.get_status_display()}」状态。")
    text = _clean_text(text, "opinion", "会办意见", required=True)
    assignment.opinion, assignment.opinion_sent_at = text, timezone.now()
    assignment.status = AssignmentStatus.OPINION_SENT
    assignment.save(update_fields=["opinion", "opinion_sent_at", "status"])
    engine.bump(proposal)
    audit.record(proposal, "opinion_sent", actor=actor, comment=text, new={"unit": assignment.unit.name})
    lead_units = proposal.assignments.filter(role=AssignmentRole.LEAD).values_list("unit_id", flat=True)
    audit.notify(_unit_users(lead_units), "opinion", f"{assignment.unit.name} 已提交会办意见：{proposal.title}",
                 url=_url(proposal))
    return assignment


# ---------------------------------------------------------------------------------------------- replies


@transaction.atomic
def draft_reply(actor: Any, assignment_pk: Any, *, grade_code: str, text: str, contact_person: str = "",
                contact_phone: str = "", files: Sequence[UploadedFile] = (),
                for_signoff: bool = True, expected_version: int | None = None) -> Reply:
    """The unit drafts (or redrafts) its reply for the current round, with a grade and PDF/Word files.

    ``for_signoff`` puts it before the unit leader (待负责人签发). Only lead, sole and separate units reply;
    only while the case's state lets units reply. ``expected_version`` is the proposal's version the clerk
    loaded: two clerks saving drafts from the same page conflict like every other write (one wins, the
    other gets :class:`ConflictError`; nothing is silently overwritten). Raises :class:`DomainError` for a
    missing grade or text, a grade outside the council's scale, a wrong-type or oversized file, or a reply
    already sent.
    """
    assignment = _unit_assignment(actor, assignment_pk)
    proposal = _lock(assignment.proposal_id)
    if assignment.role not in REPLYING_ROLES:
        raise DomainError("会办单位不直接答复提案者，请向主办单位提交会办意见。")
    engine.check_version(proposal, expected_version)
    if not proposal.state.units_may_reply or assignment.status != AssignmentStatus.HANDLING:
        raise DomainError(f"提案处于「{proposal.state.name}」状态，当前不能答复。")
    if not grade_code:
        raise DomainError("请选择答复类别。", field="grade")
    grade = ReplyGrade.objects.filter(council_id=proposal.council_id, code=grade_code, active=True).first()
    if grade is None:
        raise DomainError(f"答复类别「{grade_code}」不在本机构的答复分类中。", field="grade")
    text = _clean_text(text, "text", "答复内容", required=True)
    for f in files:
        attachments.check_upload(f)
    reply = Reply.objects.filter(assignment=assignment, round=assignment.round).first()
    if reply is not None and reply.status == ReplyStatus.SENT:
        raise DomainError("本轮答复已签发，不能再修改。")
    values = {"grade": grade, "text": text, "contact_person": contact_person.strip(),
              "contact_phone": contact_phone.strip(),
              "status": ReplyStatus.PENDING_SIGNOFF if for_signoff else ReplyStatus.DRAFT}
    if reply is None:
        reply = Reply.objects.create(assignment=assignment, round=assignment.round, drafted_by=actor, **values)
    else:
        for k, v in values.items():
            setattr(reply, k, v)
        reply.save(update_fields=list(values))
    for f in files:
        attachments.store(f, reply, actor=actor)
    engine.bump(proposal)
    audit.record(proposal, "reply_drafted", actor=actor,
                 new={"unit": assignment.unit.name, "grade": grade.code, "status": reply.status})
    if for_signoff:
        audit.notify(_unit_users([assignment.unit_id], Role.UNIT_LEADER), "signoff",
                     f"答复待签发：{proposal.number}《{proposal.title}》", url=_url(proposal))
    return reply


def _take_doc_number(unit: HandlingUnit, year: int) -> str:
    """The next document number (发文字号) of ``unit``'s reply letters in ``year``
    (:func:`lvzhi.cases.policy.take_doc_number`)."""
    return take_doc_number(unit, year)


@transaction.atomic
def sign_off_reply(actor: Any, reply_pk: Any) -> Reply:
    """The unit leader signs off and sends the reply; it takes the unit's next document number (发文字号) when
    the unit has a 机关代字 (:func:`_take_doc_number`). When every replying unit of the current round has
    sent its reply, the proposal moves to 已答复待测评 and the rating window opens (15 working days)."""
    reply = Reply.objects.select_for_update().select_related("assignment").filter(pk=reply_pk).first()
    if reply is None:
        raise NotFoundError()
    assignment = _unit_assignment(actor, reply.assignment_id, leader_only=True)
    proposal = _lock(assignment.proposal_id)
    if reply.status == ReplyStatus.SENT:
        raise DomainError("该答复已签发，请勿重复操作。")
    if reply.status != ReplyStatus.PENDING_SIGNOFF:
        raise DomainError("答复尚未提交签发。")
    if not proposal.state.units_may_reply:
        raise DomainError(f"提案处于「{proposal.state.name}」状态，当前不能答复。")
    if assignment.role == AssignmentRole.LEAD:
        # The lead unit's reply carries the co-handling units' opinions (WORKFLOWS.md §1): while one is still
        # handling, the reply is not sent and the case does not move to evaluation (docs/decisions.md).
        open_co = list(proposal.assignments.filter(role=AssignmentRole.CO, status=AssignmentStatus.HANDLING)
                       .values_list("unit__name", flat=True))
        if open_co:
            raise DomainError(f"会办单位{'、'.join(open_co)}尚未提交会办意见，主办单位暂不能签发答复。")
    now = timezone.now()
    reply.status, reply.signed_by, reply.sent_at = ReplyStatus.SENT, actor, now
    reply.doc_number = _take_doc_number(assignment.unit, timezone.localdate(now).year)
    reply.save(update_fields=["status", "signed_by", "sent_at", "doc_number"])
    assignment.status = AssignmentStatus.REPLIED
    assignment.save(update_fields=["status"])
    audit.record(proposal, "reply_sent", actor=actor, new={"unit": assignment.unit.name, "grade": reply.grade.code,
                                                          "round": reply.round, "doc_number": reply.doc_number})
    outstanding = proposal.assignments.filter(role__in=REPLYING_ROLES, status=AssignmentStatus.HANDLING)
    if not outstanding.exists():
        engine.move(proposal, "reply", actor=actor)
        audit.notify(_proposer_users(proposal), "replied",
                     f"提案 {proposal.number}《{proposal.title}》已答复，请在期限内进行满意度测评。", url=_url(proposal))
    else:
        engine.bump(proposal)
    return reply


@transaction.atomic
def return_reply(actor: Any, reply_pk: Any, *, comment: str, expected_version: int | None = None) -> Reply:
    """The unit leader sends a draft awaiting sign-off back to the clerk (退回修改) with ``comment``; the reply
    becomes a draft again, the clerk who drafted it is notified. Raises :class:`ForbiddenError` for anyone
    but the unit's leader, :class:`DomainError` without a comment (field ``comment``) or when the reply is not
    awaiting sign-off, :class:`ConflictError` for a stale ``expected_version``."""
    reply = Reply.objects.select_for_update().select_related("assignment").filter(pk=reply_pk).first()
    if reply is None:
        raise NotFoundError()
    assignment = _unit_assignment(actor, reply.assignment_id, leader_only=True)
    proposal = _lock(assignment.proposal_id)
    engine.check_version(proposal, expected_version)
    comment = _clean_text(comment, "comment", "退回意见", required=True)
    if reply.status != ReplyStatus.PENDING_SIGNOFF:
        raise DomainError("该答复不在待签发状态，不能退回。")
    reply.status = ReplyStatus.DRAFT
    reply.save(update_fields=["status"])
    engine.bump(proposal)
    audit.record(proposal, "reply_returned", actor=actor, comment=comment,
                 new={"unit": assignment.unit.name, "status": reply.status})
    audit.notify([reply.drafted_by], "reply_returned",
                 f"答复稿被退回修改：{proposal.number}《{proposal.title}》：{comment}", url=_url(proposal))
    return reply


# ---------------------------------------------------------------------------------------------- evaluation


@transaction.atomic
def evaluate_reply(actor: Any, reply_pk: Any, *, attitude: str, relevance: str, result: str, overall: str,
                   comment: str = "", on_behalf_of: Any = None) -> Evaluation:
    """The proposer rates a sent reply (满意/基本满意/不满意) on attitude, relevance and result, and overall.

    Allowed while the proposal's state lets the proposer rate and within its time limit (15 working days by
    default [R12]). Staff may enter a paper form ``on_behalf_of`` the proposer. When the first proposer has
    rated every reply of the round: any 不满意 sends those units back to re-handling (重新办理) with the
    ``rehandling`` state's time limit; otherwise the proposal becomes 已测评. Proposers of proposals merged
    into this one may rate too; their ratings are recorded but do not move the case. Raises
    :class:`DomainError` outside the window, for a value outside the scale, or a second rating.
    """
    reply = (Reply.objects.select_related("assignment__proposal", "grade").filter(pk=reply_pk).first())
    if reply is None:
        raise NotFoundError()
    proposal = _lock(reply.assignment.proposal_id)
    evaluator = actor
    roles = proposal.roles_of(actor)
    if on_behalf_of is not None:
        if "staff" not in roles:
            raise ForbiddenError("只有提案工作人员可以代录测评。")
        evaluator = on_behalf_of
    merged_proposer_ids: set[int] = set()
    for merged in proposal.merged_proposals.all():
        merged_proposer_ids |= merged.proposer_user_ids()
    is_main = evaluator.pk in proposal.proposer_user_ids()
    if not is_main and evaluator.pk not in merged_proposer_ids:
        raise ForbiddenError("只有提案者可以进行满意度测评。")
    if reply.status != ReplyStatus.SENT:
        raise NotFoundError()
    if not proposal.state.proposer_may_rate:
        raise DomainError(f"提案处于「{proposal.state.name}」状态，不在测评期内。")
    if proposal.state_deadline and _today() > proposal.state_deadline:
        raise DomainError(f"测评期限已过（{proposal.state_deadline:%Y-%m-%d}）。")
    if reply.round != reply.assignment.round:
        raise DomainError("该答复已不是最新一轮答复。")
    values = {"attitude": attitude, "relevance": relevance, "result": result, "overall": overall}
    labels = {"attitude": "办理态度", "relevance": "答复针对性", "result": "办理结果", "overall": "总体评价"}
    for field, value in values.items():
        if value not in Satisfaction.values:
            raise DomainError(f"请为「{labels[field]}」选择满意、基本满意或不满意。", field=field)
    if Evaluation.objects.filter(reply=reply, evaluator=evaluator).exists():
        raise DomainError("您已对该答复进行过测评，请勿重复提交。")
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(reply=reply, evaluator=evaluator, comment=comment.strip(),
                                                   **values)
    except IntegrityError:
        raise DomainError("您已对该答复进行过测评，请勿重复提交。") from None
    audit.record(proposal, "evaluated", actor=actor, comment=comment,
                 new={"unit": reply.assignment.unit.name, "overall": overall, "round": reply.round,
                      "evaluator": evaluator.pk})
    audit.notify(_unit_users([reply.assignment.unit_id]), "rated",
                 f"提案 {proposal.number}《{proposal.title}》测评结果：{Satisfaction(overall).label}", url=_url(proposal))
    if not (is_main and _after_evaluation(proposal, actor)):
        engine.bump(proposal)
    return evaluation


def _after_evaluation(proposal: Proposal, actor: Any) -> bool:
    """Move the case once the first proposer has rated every current reply; ``True`` when it moved."""
    proposer_ids = proposal.proposer_user_ids()
    current = [a for a in proposal.assignments.filter(role__in=REPLYING_ROLES, status=AssignmentStatus.REPLIED)]
    verdicts: dict[int, str] = {}
    for a in current:
        ev = Evaluation.objects.filter(reply__assignment=a, reply__round=a.round,
                                       evaluator_id__in=proposer_ids).first()
        if ev is None:
            return False  # the proposer has not rated every reply yet
        verdicts[a.pk] = ev.overall
    unsatisfied = [a for a in current if verdicts[a.pk] == Satisfaction.UNSATISFIED]
    if not unsatisfied:
        engine.move(proposal, "evaluate", actor=actor)
        return True
    deadline = _deadline_after(proposal.workflow_id, "rehandle", _today())
    for a in unsatisfied:
        a.round += 1
        a.status = AssignmentStatus.HANDLING
        a.deadline = deadline
        a.save(update_fields=["round", "status", "deadline"])
        audit.notify(_unit_users([a.unit_id]), "rehandling",
                     f"提案 {proposal.number}《{proposal.title}》测评不满意，请重新办理，于 {deadline:%Y-%m-%d} 前再次答复。",
                     url=_url(proposal))
    engine.move(proposal, "rehandle", actor=actor,
                comment="不满意：" + "、".join(a.unit.name for a in unsatisfied))
    return True


# ---------------------------------------------------------------------------------------------- supervision


@transaction.atomic
def set_key_proposal(actor: Any, pk: Any, *, is_key: bool, supervising_leader: str = "",
                     comment: str = "") -> Proposal:
    """Mark a filed proposal as a key proposal (重点提案) supervised by ``supervising_leader`` [R14][R15]."""
    proposal = _lock(pk)
    if is_key or "staff" not in proposal.roles_of(actor):
        engine.check_act(proposal, "key", actor)  # the workflow's key permission; unmarking: staff, any state
    if not proposal.number:
        raise DomainError("只有已立案的提案可以确定为重点提案。")
    if is_key and not supervising_leader.strip():
        raise DomainError("请填写督办领导。", field="supervising_leader")
    engine.update(proposal, {"is_key": is_key, "supervising_leader": supervising_leader.strip() if is_key else ""},
                  actor=actor, event="key_set" if is_key else "key_unset", comment=comment)
    return proposal


@transaction.atomic
def add_follow_up(actor: Any, pk: Any, *, note: str, delivered: bool = False) -> FollowUp:
    """Record a follow-up review (回头看) of a reply graded for follow-up (B/C by default) [R19]."""
    proposal = _lock(pk)
    engine.check_act(proposal, "follow_up", actor)
    if not Reply.objects.filter(assignment__proposal=proposal, status=ReplyStatus.SENT,
                                grade__needs_follow_up=True).exists():
        raise DomainError("该提案没有需要回头看的答复（如B、C类）。")
    note = _clean_text(note, "note", "跟踪情况", required=True)
    follow_up = FollowUp.objects.create(proposal=proposal, note=note, delivered=delivered, created_by=actor)
    engine.bump(proposal)
    audit.record(proposal, "follow_up", actor=actor, comment=note, new={"delivered": delivered})
    return follow_up


@transaction.atomic
def mark_excellent(actor: Any, pk: Any, *, year: int | None) -> Proposal:
    """Mark (or with ``year=None`` unmark) a filed proposal as an excellent proposal (优秀提案) of ``year``."""
    proposal = _lock(pk)
    engine.check_act(proposal, "excellent", actor)
    if not proposal.number:
        raise DomainError("只有已立案的提案可以评为优秀提案。")
    engine.update(proposal, {"excellent_year": year}, actor=actor, event="excellent")
    return proposal


@transaction.atomic
def close_proposal(actor: Any, pk: Any, *, comment: str = "", expected_version: int | None = None) -> Proposal:
    """Close (办结) an evaluated proposal, or a replied one whose rating window has passed."""
    proposal = _lock_to(pk, actor, "close", expected_version)
    if proposal.state.proposer_may_rate and proposal.state_deadline and _today() <= proposal.state_deadline:
        raise DomainError(f"测评期至 {proposal.state_deadline:%Y-%m-%d}，期满前不能办结。")
    engine.move(proposal, "close", actor=actor, comment=comment)
    return proposal


@transaction.atomic
def archive_proposal(actor: Any, pk: Any, *, expected_version: int | None = None) -> Proposal:
    """Archive (归档) a closed proposal."""
    proposal = _lock_to(pk, actor, "archive", expected_version)
    engine.move(proposal, "archive", actor=actor)
    return proposal

