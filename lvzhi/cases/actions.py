"""The writers of the handling core, generic over every registered case type (one writer per act).

Each public function is one act of one user. It runs in one transaction, locks the case
(:func:`lvzhi.workflow.engine.lock_case`, restricted to the cases the actor may see through the type's
access function: an invisible case answers "not found"), checks permission through the case's ``roles_of``
and the workflow engine (a case moves by act: ``assign``, ``reply``, ``evaluate``, ``rehandle``, ``close``)
or, for acts that are not transitions, the policy's ``act_roles``; then writes, records one audit entry
per act on the case and queues notifications for after the commit. A refusal raises
:class:`~lvzhi.core.errors.DomainError` (Chinese message, ``field`` naming the input),
:class:`~lvzhi.core.errors.ForbiddenError` (the actor may see the case but not do this),
:class:`~lvzhi.core.errors.NotFoundError` or :class:`~lvzhi.core.errors.ConflictError` (stale version), and
leaves the data as it was.

Case-level acts take the case's model and primary key (``assign(actor, Suggestion, pk, plan)``); unit-level
acts take an assignment or reply id. Rules and time limits come from the workflow's state flags and the
council's :class:`~lvzhi.cases.models.CaseTypePolicy`, never from state codes or constants here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from lvzhi.cases import people, registry
from lvzhi.cases.choices import (
    REPLYING_ROLES,
    AssignmentRole,
    AssignmentStatus,
    ContactWay,
    InstructionStatus,
    ReplyKind,
    ReplyStatus,
)
from lvzhi.cases.models import (
    Assignment,
    CaseTypePolicy,
    ContactRecord,
    Evaluation,
    FollowUp,
    Instruction,
    InstructionNote,
    KeyGroup,
    KeyGroupCase,
    KeyGroupNote,
    Reply,
    case_link,
)
from lvzhi.cases.policy import grade_by_code, limit_from, policy_for, take_doc_number
from lvzhi.core import attachments, audit
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.members.access import is_council_leader, is_council_staff
from lvzhi.members.models import HandlingUnit, Organisation
from lvzhi.workflow import engine
from lvzhi.workflow.models import Transition

Plan = Sequence[tuple[HandlingUnit, str]]

# ---------------------------------------------------------------------------------------------- helpers


def _today() -> date:
    return timezone.localdate()


def _label(case: Any) -> str:
    return f"{case.number}《{case.title}》" if case.number else f"《{case.title}》"


def _url(case: Any) -> str:
    return registry.for_model(case).url(case.pk)


def _text(value: str | None, field: str, label: str, *, required: bool = True, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if max_length and len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length} 个字（现有 {len(text)} 个）。", field=field)
    return text


def lock(model: type[models.Model], pk: Any, actor: Any, *, expected_version: int | None = None) -> Any:
    """Case ``pk`` of ``model`` locked for update, if ``actor`` may see it (:class:`NotFoundError` otherwise;
    :class:`ConflictError` when ``expected_version`` is stale). For the writers of case-type apps too."""
    case_type = registry.for_model(model)
    return engine.lock_case(model, pk, expected_version=expected_version, queryset=case_type.visible(actor))


def require_act(case: Any, actor: Any, act: str, what: str, pol: CaseTypePolicy | None = None) -> set[str]:
    """Check that ``actor`` holds one of the roles the policy gives non-transition act ``act`` on ``case``.

    Raises :class:`ForbiddenError` ("您无权{what}。"). Returns the actor's roles on the case.
    """
    pol = pol or policy_for(case.council_id, registry.for_model(case).key)
    roles: set[str] = case.roles_of(actor)
    if not roles & pol.roles_for(act):
        raise ForbiddenError(f"您无权{what}。")
    return roles


def check_move(case: Any, actor: Any, act: str) -> Transition:
    """The transition of ``act`` from the case's state if ``actor`` may take it, checked before an action
    validates its input (so that someone without the role is told so first). The same data and message
    as :func:`lvzhi.workflow.engine.move`, which checks again when moving."""
    transition = engine.find_transition(case, act)
    if not case.roles_of(actor) & set(transition.roles):
        raise ForbiddenError(f"您无权执行「{transition.name}」。")
    return transition


def _policy(case: Any) -> CaseTypePolicy:
    return policy_for(case.council_id, registry.for_model(case).key)


def _parties(case: Any) -> list[Any]:
    return people.users(case.party_user_ids())


def _active(case: Any) -> models.QuerySet[Assignment]:
    return Assignment.objects.filter(**_link_filter(case)).exclude(
        status__in=[AssignmentStatus.SENT_BACK, AssignmentStatus.WITHDRAWN])


def _link_filter(case: Any) -> dict[str, Any]:
    link = case_link(case)
    return {"content_type": link["content_type"], "object_id": case.pk}


def _unit_act(actor: Any, assignment_pk: Any, *, expected_version: int | None = None,
              leader_only: bool = False) -> tuple[Any, Assignment]:
    """Lock the case of assignment ``assignment_pk`` and the assignment, for an act of its unit.

    :class:`NotFoundError` when the actor may not see the case; :class:`ForbiddenError` when the actor does
    not act for the assignment's unit (or, with ``leader_only``, is not its leader)."""
    found = Assignment.objects.filter(pk=assignment_pk).select_related("content_type").first() \
        if str(assignment_pk).isdigit() else None
    if found is None:
        raise NotFoundError()
    model = found.content_type.model_class()
    if model is None:
        raise NotFoundError()
    case = lock(model, found.object_id, actor, expected_version=expected_version)
    assignment = Assignment.objects.select_for_update().select_related("unit").get(pk=found.pk)
    units = people.unit_roles(actor)
    if assignment.unit_id not in units:
        raise ForbiddenError(f"只有承办单位「{assignment.unit.name}」可以办理此交办。")
    if leader_only and units[assignment.unit_id] != "unit_leader":
        raise ForbiddenError("须由承办单位负责人签发或退回答复。")
    return case, assignment


def _reply_act(actor: Any, reply_pk: Any, *, expected_version: int | None = None,
               leader_only: bool = False) -> tuple[Any, Assignment, Reply]:
    found = Reply.objects.filter(pk=reply_pk).first() if str(reply_pk).isdigit() else None
    if found is None:
        raise NotFoundError()
    case, assignment = _unit_act(actor, found.assignment_id, expected_version=expected_version,
                                 leader_only=leader_only)
    return case, assignment, Reply.objects.select_for_update().select_related("grade").get(pk=found.pk)


# ---------------------------------------------------------------------------------------------- assignment


def _validate_plan(plan: Plan, council_id: int) -> None:
    if not plan:
        raise DomainError("请选择承办单位。", field="units")
    roles = [r for _, r in plan]
    unit_ids = [u.pk for u, _ in plan]
    if len(set(unit_ids)) != len(unit_ids):
        raise DomainError("同一承办单位不能重复交办。", field="units")
    for unit, role in plan:
        if role not in AssignmentRole.values:
            raise DomainError(f"办理方式「{role}」无效，应为单办、主办、会办或分办。", field="units")
        if unit.council_id != council_id or not unit.active:
            raise DomainError(f"承办单位「{unit.name}」不可用。", field="units")
    if AssignmentRole.SOLE in roles and len(plan) > 1:
        raise DomainError("单办只能交给一个承办单位。", field="units")
    if roles.count(AssignmentRole.LEAD) > 1:
        raise DomainError("主办单位只能有一个。", field="units")
    if AssignmentRole.CO in roles and roles.count(AssignmentRole.LEAD) != 1:
        raise DomainError("有会办单位时须确定一个主办单位。", field="units")
    if AssignmentRole.SEPARATE in roles and set(roles) != {AssignmentRole.SEPARATE}:
        raise DomainError("分办不能与单办、主办、会办混用。", field="units")


def _create_assignments(case: Any, pol: CaseTypePolicy, plan: Plan, actor: Any, round_: int) -> list[Assignment]:
    today = _today()
    reply_deadline = limit_from(today, pol.reply_limit, pol.reply_limit_unit)
    latest = limit_from(today, pol.reply_max, pol.reply_max_unit)
    opinion_deadline = limit_from(today, pol.opinion_limit, pol.opinion_limit_unit)
    sendback = limit_from(today, pol.sendback_limit, pol.sendback_limit_unit)
    created = []
    for unit, role in plan:
        deadline = opinion_deadline if role == AssignmentRole.CO else reply_deadline
        created.append(Assignment.objects.create(
            **case_link(case), unit=unit, role=role, assigned_by=actor, round=round_, deadline=deadline,
            latest_deadline=max(latest, deadline), sendback_deadline=sendback))
        audit.notify(people.unit_users([unit.pk]), "assigned",
                     f"新交办（{AssignmentRole(role).label}）：{_label(case)}，请于 {deadline:%Y-%m-%d} 前"
                     f"{'提出会办意见' if role == AssignmentRole.CO else '答复'}。", url=_url(case))
    return created


@transaction.atomic
def assign(actor: Any, model: type[models.Model], pk: Any, plan: Plan, *, expected_version: int | None = None,
           comment: str = "") -> list[Assignment]:
    """Assign (交办) case ``pk``: ``plan`` is ``[(unit, role), …]`` with role ``sole`` (one unit), ``lead`` +
    ``co`` (one lead, any co-handling units), or ``separate`` (each unit answers for its part).

    In a state that may be assigned (``State.assignable``) the case moves by act ``assign``. In a state
    where units reply (after a unit sent the case back) the units are added, by the policy's ``reassign``
    roles. Deadlines from today, by the policy: reply (3 months by default), at most (6 months), a
    co-handling unit's opinion (1 month), send-back (7 working days). Raises :class:`DomainError` (field
    ``units``) for an invalid plan, (field ``state``) when the state allows no assignment;
    :class:`ForbiddenError` without the role.
    """
    case = lock(model, pk, actor, expected_version=expected_version)
    pol = _policy(case)
    _validate_plan(plan, case.council_id)
    if case.state.assignable:
        deadline = limit_from(_today(), pol.reply_limit, pol.reply_limit_unit)
        engine.move(case, "assign", actor=actor, comment=comment, changes={"state_deadline": deadline})
        created = _create_assignments(case, pol, plan, actor, 1)
        audit.record(case, "assigned_units", actor=actor,
                     new={"units": [{"unit": a.unit.name, "role": a.role, "deadline": a.deadline.isoformat()}
                               for a in created]})
        return created
    if case.state.units_may_reply:
        require_act(case, actor, "reassign", "重新交办", pol)
        active = _active(case)
        if active.filter(unit__in=[u for u, _ in plan]).exists():
            raise DomainError("该单位已在办理此件。", field="units")
        existing = set(active.values_list("role", flat=True))
        roles = {r for _, r in plan}
        if AssignmentRole.LEAD in roles and AssignmentRole.LEAD in existing:
            raise DomainError("此件已有主办单位。", field="units")
        if AssignmentRole.SOLE in existing or (AssignmentRole.SOLE in roles and existing):
            raise DomainError("单办只能有一个承办单位。", field="units")
        if AssignmentRole.CO in roles and AssignmentRole.LEAD not in roles | existing:
            raise DomainError("有会办单位时须确定一个主办单位。", field="units")
        round_ = max(Assignment.objects.filter(**_link_filter(case)).values_list("round", flat=True), default=1)
        created = _create_assignments(case, pol, plan, actor, round_)
        engine.bump(case)
        audit.record(case, "reassigned", actor=actor, comment=comment,
                     new={"units": [{"unit": a.unit.name, "role": a.role, "deadline": a.deadline.isoformat()}
                               for a in created]})
        return created
    raise DomainError(f"此件处于「{case.state.name}」状态，不能交办。", field="state")


def assign_batch(actor: Any, model: type[models.Model], pks: Sequence[Any], plan: Plan) -> int:
    """Assign several cases with the same plan, all or none (one transaction). Raises the first refusal,
    its message prefixed with the case's title; nothing is assigned then. Returns the number assigned."""
    if not pks:
        raise DomainError("请选择要交办的案件。", field="ids")
    with transaction.atomic():
        for pk in dict.fromkeys(pks):
            try:
                assign(actor, model, pk, plan)
            except DomainError as exc:
                title = model._default_manager.filter(pk=pk).values_list("title", flat=True).first() \
                    if str(pk).isdigit() else None
                exc.message = f"《{title or pk}》：{exc.message}"
                raise
    return len(dict.fromkeys(pks))


@transaction.atomic
def send_back(actor: Any, assignment_pk: Any, *, reason: str, expected_version: int | None = None) -> Assignment:
    """The unit sends a wrong assignment back (退回交办) with its reasons, within the policy's send-back
    limit (7 working days for suggestions [N6]); the staff then assign it anew. Raises :class:`DomainError`
    (field ``reason``) without a reason or after the limit, and when the unit has already answered."""
    case, a = _unit_act(actor, assignment_pk, expected_version=expected_version)
    reason = _text(reason, "reason", "退回理由", max_length=1000)
    if a.status != AssignmentStatus.HANDLING:
        raise DomainError(f"该交办处于「{a.get_status_display()}」状态，不能退回。", field="assignment")
    if _today() > a.sendback_deadline:
        raise DomainError(f"退回期限已过（{a.sendback_deadline:%Y-%m-%d}），不能再退回，请与交办机关联系。",
                          field="reason")
    a.status, a.sendback_reason, a.sent_back_at = AssignmentStatus.SENT_BACK, reason, timezone.now()
    a.save(update_fields=["status", "sendback_reason", "sent_back_at"])
    engine.bump(case)
    audit.record(case, "sent_back", actor=actor, comment=reason, new={"unit": a.unit.name})
    audit.notify(people.staff_users(case.council_id), "sent_back", f"{a.unit.name} 退回交办 {_label(case)}：{reason}",
                 url=_url(case))
    return a


@transaction.atomic
def extend_deadline(actor: Any, assignment_pk: Any, *, until: date, reason: str) -> Assignment:
    """Extend an assignment's reply deadline to ``until`` (no later than its ``latest_deadline``: 6 months
    from assignment for suggestions [N2]), by the policy's ``extend`` roles. Raises :class:`DomainError`
    (field ``until``) for a date not after the deadline or past the maximum."""
    found = Assignment.objects.filter(pk=assignment_pk).select_related("content_type").first() \
        if str(assignment_pk).isdigit() else None
    if found is None or found.content_type.model_class() is None:
        raise NotFoundError()
    case = lock(found.content_type.model_class(), found.object_id, actor)  # type: ignore[arg-type]
    require_act(case, actor, "extend", "延长答复期限")
    a = Assignment.objects.select_for_update().select_related("unit").get(pk=found.pk)
    reason = _text(reason, "reason", "延期理由")
    if a.status != AssignmentStatus.HANDLING:
        raise DomainError(f"该交办处于「{a.get_status_display()}」状态，不能延期。", field="assignment")
    if until <= a.deadline:
        raise DomainError(f"延期后的期限须晚于原期限 {a.deadline:%Y-%m-%d}。", field="until")
    if until > a.latest_deadline:
        raise DomainError(f"延期后的期限不能晚于最长期限 {a.latest_deadline:%Y-%m-%d}。", field="until")
    old = a.deadline
    a.deadline = until
    a.save(update_fields=["deadline"])
    engine.bump(case)
    audit.record(case, "deadline_extended", actor=actor, comment=reason,
                 old={"deadline": old}, new={"deadline": until, "unit": a.unit.name})
    audit.notify(people.unit_users([a.unit_id]), "extended", f"{_label(case)} 答复期限延至 {until:%Y-%m-%d}。",
                 url=_url(case))
    return a


@transaction.atomic
def send_opinion(actor: Any, assignment_pk: Any, *, text: str, expected_version: int | None = None) -> Assignment:
    """A co-handling unit (会办) sends its opinion to the lead unit, whose clerk sees it while drafting the
    reply. If the lead unit has already signed off, this completes the handling and the case moves to its
    evaluation state (act ``reply``)."""
    case, a = _unit_act(actor, assignment_pk, expected_version=expected_version)
    if a.role != AssignmentRole.CO:
        raise DomainError("只有会办单位向主办单位提交会办意见。", field="assignment")
    if a.status != AssignmentStatus.HANDLING:
        raise DomainError(f"该交办处于「{a.get_status_display()}」状态，不能提交会办意见。", field="assignment")
    text = _text(text, "opinion", "会办意见")
    a.opinion, a.opinion_sent_at, a.status = text, timezone.now(), AssignmentStatus.OPINION_SENT
    a.save(update_fields=["opinion", "opinion_sent_at", "status"])
    audit.record(case, "opinion_sent", actor=actor, comment=text, new={"unit": a.unit.name})
    lead_units = _active(case).filter(role=AssignmentRole.LEAD).values_list("unit_id", flat=True)
    audit.notify(people.unit_users(lead_units), "opinion", f"{a.unit.name} 已提交会办意见：{_label(case)}",
                 url=_url(case))
    if not _complete_handling(case, actor):
        engine.bump(case)
    return a


@transaction.atomic
def record_contact(actor: Any, assignment_pk: Any, *, contacted_on: date | None, way: str, with_whom: str,
                   notes: str) -> ContactRecord:
    """Record a talk with the submitter before replying (面商 [N3]): ``contacted_on`` (not in the future nor
    before the assignment), ``way`` (:class:`~lvzhi.cases.choices.ContactWay`), ``with_whom``, ``notes``.
    Raises :class:`DomainError` naming the field."""
    case, a = _unit_act(actor, assignment_pk)
    if a.status in (AssignmentStatus.SENT_BACK, AssignmentStatus.WITHDRAWN):
        raise DomainError(f"该交办处于「{a.get_status_display()}」状态。", field="assignment")
    if contacted_on is None:
        raise DomainError("请填写沟通日期。", field="contacted_on")
    if contacted_on > _today():
        raise DomainError("沟通日期不能晚于今天。", field="contacted_on")
    if contacted_on < timezone.localdate(a.assigned_at):
        raise DomainError(f"沟通日期不能早于交办日期 {timezone.localdate(a.assigned_at):%Y-%m-%d}。",
                          field="contacted_on")
    if way not in ContactWay.values:
        raise DomainError("请选择沟通方式（当面沟通、走访、座谈、电话或网络）。", field="way")
    record = ContactRecord.objects.create(
        assignment=a, contacted_on=contacted_on, way=way,
        with_whom=_text(with_whom, "with_whom", "沟通对象", max_length=100), notes=_text(notes, "notes", "沟通情况"),
        recorded_by=actor)
    audit.record(case, "contact_recorded", actor=actor, comment=record.notes,
                 new={"unit": a.unit.name, "contacted_on": contacted_on, "way": way, "with_whom": record.with_whom})
    return record


# ---------------------------------------------------------------------------------------------- replies


@transaction.atomic
def draft_reply(actor: Any, assignment_pk: Any, *, grade: str, text: str, contact_person: str = "",
                contact_phone: str = "", files: Sequence[UploadedFile] = (), submit: bool = True,
                kind: str = ReplyKind.ANSWER, expected_version: int | None = None) -> Reply:
    """The unit's clerk drafts (or redrafts) its reply of the current round, with a grade of the case type's
    scale, the text, a contact and PDF/Word files; ``submit`` puts it before the unit leader (待负责人签发).

    ``expected_version`` is the case version the clerk loaded: a draft written meanwhile by a colleague
    makes it stale (:class:`ConflictError`), so concurrent drafts never silently overwrite each other.
    ``kind`` ``final`` is the second answer to a signed reply whose grade needs follow-up (B, "being
    resolved"), allowed once. Only lead, sole and separate units answer; only while the state lets units
    reply; with the policy's ``contact_required``, a contact record must exist before submitting. Raises
    :class:`DomainError` naming the field (grade, text, files, contacts, kind).
    """
    case, a = _unit_act(actor, assignment_pk, expected_version=expected_version)
    pol = _policy(case)
    if kind not in ReplyKind.values:
        raise DomainError("答复种类无效。", field="kind")
    if a.role not in REPLYING_ROLES:
        raise DomainError("会办单位不直接答复，请向主办单位提交会办意见。", field="assignment")
    if kind == ReplyKind.ANSWER:
        if not case.state.units_may_reply or a.status != AssignmentStatus.HANDLING:
            raise DomainError(f"此件处于「{case.state.name}」状态，该单位当前不能答复。", field="state")
        round_ = a.round
    else:
        require_act(case, actor, "final_answer", "办结答复", pol)
        pending = Reply.objects.filter(assignment=a, kind=ReplyKind.ANSWER, status=ReplyStatus.SIGNED,
                                       grade__needs_follow_up=True).order_by("-round").first()
        if pending is None:
            raise DomainError("该单位没有需要办结后再次答复的答复（如B类）。", field="kind")
        round_ = pending.round
    grade_obj = grade_by_code(case.council_id, registry.for_model(case).key, grade)
    body = _text(text, "text", "答复内容")
    for f in files:
        attachments.check_upload(f, field="files")
    if submit and kind == ReplyKind.ANSWER and pol.contact_required and not a.contacts.exists():
        raise DomainError("答复前须先与提出人沟通（面商），请先填写沟通记录。", field="contacts")
    reply = Reply.objects.filter(assignment=a, round=round_, kind=kind).first()
    if reply is not None and reply.status == ReplyStatus.SIGNED:
        raise DomainError("本轮答复已签发，不能再修改。", field="status")
    values = {"grade": grade_obj, "text": body, "contact_person": _text(contact_person, "contact_person", "联系人",
                                                                        required=False, max_length=50),
              "contact_phone": _text(contact_phone, "contact_phone", "联系电话", required=False, max_length=30),
              "status": ReplyStatus.PENDING_SIGNOFF if submit else ReplyStatus.DRAFT}
    if reply is None:
        reply = Reply.objects.create(assignment=a, round=round_, kind=kind, drafted_by=actor, **values)
    else:
        for k, v in values.items():
            setattr(reply, k, v)
        reply.drafted_by = actor
        reply.save(update_fields=[*values, "drafted_by", "updated_at"])
    for f in files:
        attachments.store(f, reply, actor=actor)
    engine.bump(case)
    audit.record(case, "reply_drafted", actor=actor, new={"unit": a.unit.name, "grade": grade_obj.code,
                                                         "status": reply.status, "kind": kind, "round": round_})
    if submit:
        audit.notify(people.unit_users([a.unit_id], leaders_only=True), "signoff", f"答复待签发：{_label(case)}",
                     url=_url(case))
    return reply


@transaction.atomic
def return_reply(actor: Any, reply_pk: Any, *, comment: str, expected_version: int | None = None) -> Reply:
    """The unit leader sends a reply awaiting sign-off back to the clerk with ``comment`` (退回修改)."""
    case, a, reply = _reply_act(actor, reply_pk, expected_version=expected_version, leader_only=True)
    if reply.status != ReplyStatus.PENDING_SIGNOFF:
        raise DomainError(f"答复处于「{reply.get_status_display()}」状态，不能退回。", field="status")
    reply.leader_comment = _text(comment, "comment", "退回意见")
    reply.status = ReplyStatus.RETURNED
    reply.save(update_fields=["leader_comment", "status", "updated_at"])
    engine.bump(case)
    audit.record(case, "reply_returned", actor=actor, comment=reply.leader_comment, new={"unit": a.unit.name})
    audit.notify(people.users([reply.drafted_by_id] if reply.drafted_by_id else []), "reply_returned",
                 f"答复被负责人退回修改：{_label(case)}：{reply.leader_comment}", url=_url(case))
    return reply


def _complete_handling(case: Any, actor: Any) -> bool:
    """Move the case to its evaluation state (act ``reply``) once every replying assignment of the case has
    a signed answer and no co-handling unit is still handling. Returns ``True`` when it moved."""
    if not case.state.units_may_reply:
        return False
    active = list(_active(case))
    replying = [a for a in active if a.role in REPLYING_ROLES]
    if not replying or any(a.status == AssignmentStatus.HANDLING for a in active):
        return False
    pol = _policy(case)
    window_end = limit_from(_today(), pol.evaluation_window, pol.evaluation_window_unit)
    engine.move(case, "reply", actor=actor, changes={"state_deadline": window_end})
    audit.notify(people.users(case.evaluator_ids(pol.joint_reply_mode)) + _parties(case), "replied",
                 f"{_label(case)} 已答复，请于 {window_end:%Y-%m-%d} 前反馈意见（意见征询表）。", url=_url(case))
    return True


@transaction.atomic
def sign_off_reply(actor: Any, reply_pk: Any, *, expected_version: int | None = None) -> Reply:
    """The unit leader signs off and sends the reply (签发). When every replying unit has signed off and no
    co-handling unit is still handling, the case moves to its evaluation state (act ``reply``) and the
    evaluation window (the policy's) opens. A final answer (``kind`` ``final``) is sent without moving. The
    letter takes the unit's next document number (发文字号) when the unit has a 机关代字
    (:func:`lvzhi.cases.policy.take_doc_number`)."""
    case, a, reply = _reply_act(actor, reply_pk, expected_version=expected_version, leader_only=True)
    if reply.status == ReplyStatus.SIGNED:
        raise DomainError("该答复已签发，请勿重复操作。", field="status")
    if reply.status != ReplyStatus.PENDING_SIGNOFF:
        raise DomainError("答复尚未提交签发。", field="status")
    if reply.kind == ReplyKind.ANSWER and not case.state.units_may_reply:
        raise DomainError(f"此件处于「{case.state.name}」状态，当前不能答复。", field="state")
    reply.status, reply.signed_by, reply.signed_at = ReplyStatus.SIGNED, actor, timezone.now()
    reply.doc_number = take_doc_number(a.unit, timezone.localdate(reply.signed_at).year)
    reply.save(update_fields=["status", "signed_by", "signed_at", "doc_number", "updated_at"])
    audit.record(case, "reply_signed", actor=actor, new={"unit": a.unit.name, "grade": reply.grade.code,
                                                        "round": reply.round, "kind": reply.kind,
                                                        "doc_number": reply.doc_number})
    if reply.kind == ReplyKind.FINAL:
        engine.bump(case)
        audit.notify(_parties(case), "final_answer", f"{a.unit.name} 已就 {_label(case)} 作出办结答复。", url=_url(case))
        return reply
    a.status = AssignmentStatus.REPLIED
    a.save(update_fields=["status"])
    if not _complete_handling(case, actor):
        engine.bump(case)
    return reply


# ---------------------------------------------------------------------------------------------- evaluation


def _check_scores(pol: CaseTypePolicy, scores: Mapping[str, str]) -> dict[str, str]:
    dims = pol.dimensions
    levels = {lv["code"]: lv["label"] for lv in pol.levels}
    known = {d["code"] for d in dims}
    unknown = sorted(set(scores) - known)
    if unknown:
        raise DomainError(f"测评项目「{'、'.join(unknown)}」不在本机构的测评方案中。", field=f"scores.{unknown[0]}")
    clean: dict[str, str] = {}
    for d in dims:
        value = scores.get(d["code"])
        if value not in levels:
            raise DomainError(f"请为「{d['label']}」选择{'、'.join(levels.values())}之一。", field=f"scores.{d['code']}")
        clean[d["code"]] = str(value)
    return clean


@transaction.atomic
def evaluate(actor: Any, reply_pk: Any, *, scores: Mapping[str, str], comment: str = "",
             on_behalf_of: Any = None) -> Evaluation:
    """An evaluating party returns the opinion form (意见征询表) on a signed reply: one level per dimension of
    the policy's scheme (e.g. 联系沟通/办理态度/办理结果 × 满意/基本满意/不满意).

    Evaluators are the case's ``evaluator_ids`` under the policy's joint reply mode (each joint deputy, or
    the leading one). Staff with the ``evaluate_for`` act enter a paper form ``on_behalf_of`` an evaluator.
    Only in a state where submitters rate (``State.proposer_may_rate``) and before its deadline. When every
    evaluator has answered every current reply: a reply with a re-handling level on a re-handling dimension
    sends its unit back to work (round + 1, the policy's re-handling limit) and the case moves by
    ``rehandle``; otherwise it moves by ``evaluate``. Raises :class:`DomainError` (field ``scores.<code>``
    for a missing or unknown level; ``state`` outside the window; a second form), :class:`ForbiddenError`
    for someone who is not an evaluator.
    """
    found = Reply.objects.filter(pk=reply_pk).select_related("assignment__content_type").first() \
        if str(reply_pk).isdigit() else None
    if found is None or found.assignment.content_type.model_class() is None:
        raise NotFoundError()
    model = found.assignment.content_type.model_class()
    case = lock(model, found.assignment.object_id, actor)  # type: ignore[arg-type]
    reply = Reply.objects.select_related("assignment__unit", "grade").get(pk=found.pk)
    pol = _policy(case)
    evaluator = actor
    if on_behalf_of is not None:
        require_act(case, actor, "evaluate_for", "代为录入意见征询表", pol)
        evaluator = on_behalf_of
    if evaluator.pk not in case.evaluator_ids(pol.joint_reply_mode):
        if on_behalf_of is not None:
            raise DomainError("该用户不是此件的测评人。", field="on_behalf_of")
        raise ForbiddenError("您不是此件的测评人，不能反馈意见。")
    a = reply.assignment
    if reply.status != ReplyStatus.SIGNED or reply.kind != ReplyKind.ANSWER:
        raise DomainError("只能对已签发的答复反馈意见。", field="reply")
    if reply.round != a.round or a.status != AssignmentStatus.REPLIED:
        raise DomainError("该答复已不是最新一轮答复。", field="reply")
    if not case.state.proposer_may_rate:
        raise DomainError(f"此件处于「{case.state.name}」状态，不在反馈期内。", field="state")
    if case.state_deadline and _today() > case.state_deadline:
        raise DomainError(f"反馈期限已过（{case.state_deadline:%Y-%m-%d}）。", field="state")
    clean = _check_scores(pol, scores)
    scheme = pol.evaluation_scheme or {}
    rehandle = any(clean.get(d) in scheme.get("rehandle_levels", [])
                   for d in scheme.get("rehandle_dimensions", list(clean)))
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(reply=reply, evaluator=evaluator, entered_by=actor, scores=clean,
                                                   rehandle=rehandle, comment=(comment or "").strip())
    except IntegrityError:
        raise DomainError("已对该答复反馈过意见，请勿重复提交。", field="reply") from None
    audit.record(case, "evaluated", actor=actor, comment=evaluation.comment,
                 new={"unit": a.unit.name, "scores": clean, "round": reply.round, "evaluator": evaluator.pk,
                      "rehandle": rehandle})
    audit.notify(people.unit_users([a.unit_id]), "rated", f"{_label(case)} 收到代表反馈意见。", url=_url(case))
    if not _after_evaluation(case, pol, actor):
        engine.bump(case)
    return evaluation


def _after_evaluation(case: Any, pol: CaseTypePolicy, actor: Any) -> bool:
    """Move the case once every evaluator has answered every current reply; ``True`` when it moved."""
    evaluators = set(case.evaluator_ids(pol.joint_reply_mode))
    current = [a for a in _active(case).filter(role__in=REPLYING_ROLES, status=AssignmentStatus.REPLIED)]
    reopen: list[Assignment] = []
    for a in current:
        forms = list(Evaluation.objects.filter(reply__assignment=a, reply__round=a.round,
                                               reply__kind=ReplyKind.ANSWER, evaluator_id__in=evaluators))
        if {f.evaluator_id for f in forms} != evaluators:
            return False
        if any(f.rehandle for f in forms):
            reopen.append(a)
    if not reopen:
        engine.move(case, "evaluate", actor=actor)
        return True
    deadline = limit_from(_today(), pol.rehandle_limit, pol.rehandle_limit_unit)
    for a in reopen:
        a.round += 1
        a.status = AssignmentStatus.HANDLING
        a.deadline = deadline
        a.latest_deadline = max(a.latest_deadline, deadline)
        a.save(update_fields=["round", "status", "deadline", "latest_deadline"])
        audit.notify(people.unit_users([a.unit_id]), "rehandling",
                     f"{_label(case)} 代表不满意，请重新办理，于 {deadline:%Y-%m-%d} 前再次答复。", url=_url(case))
    engine.move(case, "rehandle", actor=actor, changes={"state_deadline": deadline},
                comment="不满意：" + "、".join(a.unit.name for a in reopen))
    return True


@transaction.atomic
def close(actor: Any, model: type[models.Model], pk: Any, *, comment: str = "",
          expected_version: int | None = None) -> Any:
    """Close (办结) a case by act ``close``; while the evaluation window is open (a state where submitters
    rate, before its deadline) it cannot be closed. Raises :class:`DomainError` (field ``state``)."""
    case = lock(model, pk, actor, expected_version=expected_version)
    if case.state.proposer_may_rate and case.state_deadline and _today() <= case.state_deadline:
        raise DomainError(f"反馈期至 {case.state_deadline:%Y-%m-%d}，期满前不能办结。", field="state")
    engine.move(case, "close", actor=actor, comment=comment)
    audit.notify(_parties(case), "closed", f"{_label(case)} 已办结。", url=_url(case))
    return case


# ---------------------------------------------------------------------------------------------- supervision


@transaction.atomic
def add_follow_up(actor: Any, model: type[models.Model], pk: Any, *, note: str, delivered: bool = False) -> FollowUp:
    """Record a follow-up review (回头看) of a signed reply whose grade needs follow-up (B/C by default),
    by the policy's ``follow_up`` roles. Raises :class:`DomainError` when the case has no such reply."""
    case = lock(model, pk, actor)
    require_act(case, actor, "follow_up", "记录回头看")
    reply = (Reply.objects.filter(assignment__in=Assignment.objects.filter(**_link_filter(case)),
                                  status=ReplyStatus.SIGNED, grade__needs_follow_up=True).order_by("-signed_at").first())
    if reply is None:
        raise DomainError("此件没有需要回头看的答复（如B、C类）。", field="reply")
    follow_up = FollowUp.objects.create(**case_link(case), reply=reply, note=_text(note, "note", "跟踪情况"),
                                        delivered=bool(delivered), created_by=actor)
    engine.bump(case)
    audit.record(case, "follow_up", actor=actor, comment=follow_up.note, new={"delivered": follow_up.delivered})
    return follow_up


@transaction.atomic
def set_key(actor: Any, model: type[models.Model], pk: Any, *, is_key: bool, comment: str = "") -> Any:
    """Mark (or unmark) a numbered case as a key case (重点督办), by the policy's ``key`` roles."""
    case = lock(model, pk, actor)
    require_act(case, actor, "key", "确定重点督办")
    if not case.number:
        raise DomainError("只有已编号（受理、立案）的案件可以确定为重点督办。", field="is_key")
    engine.update(case, {"is_key": bool(is_key)}, actor=actor, event="key_set" if is_key else "key_unset",
                  comment=comment)
    return case


@transaction.atomic
def select_excellent(actor: Any, model: type[models.Model], pk: Any, *, kind: str, year: int | None) -> Any:
    """Select (or with ``year=None`` unselect) a numbered case in the yearly selection ``kind`` (the case
    type's ``selections``: e.g. ``excellent`` 优秀建议, ``golden_idea`` 金点子), by the ``excellent`` roles."""
    case_type = registry.for_model(model)
    field = case_type.selections.get(kind)
    if field is None:
        raise DomainError(f"评选类别「{kind}」无效，可选：{'、'.join(case_type.selections)}。", field="kind")
    if year is not None and not 2000 <= int(year) <= 2100:
        raise DomainError("评选年度无效。", field="year")
    case = lock(model, pk, actor)
    require_act(case, actor, "excellent", "评选")
    if not case.number:
        raise DomainError("只有已编号的案件可以参加评选。", field="kind")
    engine.update(case, {field: year}, actor=actor, event="selected" if year else "unselected")
    return case


@transaction.atomic
def select_excellent_handling(actor: Any, assignment_pk: Any, *, year: int | None) -> Assignment:
    """Select (or unselect) a unit's handling of a case as an excellent handling case (优秀办理) of ``year``;
    the unit must have signed a reply. By the policy's ``excellent`` roles."""
    found = Assignment.objects.filter(pk=assignment_pk).select_related("content_type").first() \
        if str(assignment_pk).isdigit() else None
    if found is None or found.content_type.model_class() is None:
        raise NotFoundError()
    case = lock(found.content_type.model_class(), found.object_id, actor)  # type: ignore[arg-type]
    require_act(case, actor, "excellent", "评选优秀办理")
    a = Assignment.objects.select_for_update().select_related("unit").get(pk=found.pk)
    if year is not None and not a.replies.filter(status=ReplyStatus.SIGNED).exists():
        raise DomainError("该单位尚未答复，不能评为优秀办理。", field="assignment")
    a.excellent_year = year
    a.save(update_fields=["excellent_year"])
    engine.bump(case)
    audit.record(case, "excellent_handling", actor=actor, new={"unit": a.unit.name, "year": year})
    return a


@transaction.atomic
def instruct(actor: Any, model: type[models.Model], pk: Any, *, text: str) -> Instruction:
    """A leader's instruction (批示) on a case, by the policy's ``instruct`` roles; staff and the handling
    units are told, and track it to 落实 with :func:`add_instruction_note`."""
    case = lock(model, pk, actor)
    require_act(case, actor, "instruct", "批示")
    instruction = Instruction.objects.create(**case_link(case), leader=actor, text=_text(text, "text", "批示内容"))
    audit.record(case, "instructed", actor=actor, comment=instruction.text)
    units = _active(case).values_list("unit_id", flat=True)
    audit.notify(people.staff_users(case.council_id) + people.unit_users(units), "instruction",
                 f"领导批示 {_label(case)}：{instruction.text}", url=_url(case))
    return instruction


@transaction.atomic
def add_instruction_note(actor: Any, instruction_pk: Any, *, text: str, status: str) -> InstructionNote:
    """Note how an instruction is implemented (落实情况) and set its status (待落实/落实中/已落实): by the
    council's staff, the instructing leader or a unit handling the case."""
    found = Instruction.objects.filter(pk=instruction_pk).select_related("content_type").first() \
        if str(instruction_pk).isdigit() else None
    if found is None or found.content_type.model_class() is None:
        raise NotFoundError()
    case = lock(found.content_type.model_class(), found.object_id, actor)  # type: ignore[arg-type]
    if not case.roles_of(actor) & {"staff", "leader", "unit_clerk", "unit_leader"}:
        raise ForbiddenError("您无权填写批示落实情况。")
    if status not in InstructionStatus.values:
        raise DomainError("请选择落实情况（待落实、落实中、已落实）。", field="status")
    instruction = Instruction.objects.select_for_update().get(pk=found.pk)
    note = InstructionNote.objects.create(instruction=instruction, author=actor, status=status,
                                          text=_text(text, "text", "落实情况"))
    instruction.status = status
    instruction.done_at = timezone.now() if status == InstructionStatus.DONE else None
    instruction.save(update_fields=["status", "done_at"])
    audit.record(case, "instruction_note", actor=actor, comment=note.text,
                 new={"instruction": instruction.pk, "status": status})
    audit.notify(people.users([instruction.leader_id]), "instruction", f"批示落实情况（{_label(case)}）：{note.text}",
                 url=_url(case))
    return note


@transaction.atomic
def create_key_group(actor: Any, council: Any, case_type: str, *, year: int, theme: str,
                     special_committee: Organisation | None = None, leading_leader: Any = None,
                     plan: str = "") -> KeyGroup:
    """Create a key-case group (重点督办专题) of ``case_type``: a theme under a special committee, led by a
    council leader (领衔督办) with a supervision plan. Staff of the council only. Raises
    :class:`DomainError` naming the field (theme, special_committee, leading_leader, year)."""
    registry.get(case_type)
    if not is_council_staff(actor, council.pk):
        raise ForbiddenError("只有本机构工作人员可以确定重点督办专题。")
    theme = _text(theme, "theme", "督办专题", max_length=200)
    if not 2000 <= int(year) <= 2100:
        raise DomainError("年度无效。", field="year")
    if special_committee is not None and (special_committee.council_id != council.pk
                                          or special_committee.kind != "special_committee"):
        raise DomainError("牵头专门委员会须为本机构的专门委员会。", field="special_committee")
    if leading_leader is not None and not is_council_leader(leading_leader, council.pk):
        raise DomainError("领衔督办领导须为本机构的领导。", field="leading_leader")
    group = KeyGroup.objects.create(council=council, case_type=case_type, year=year, theme=theme,
                                    special_committee=special_committee, leading_leader=leading_leader,
                                    plan=(plan or "").strip(), created_by=actor)
    audit.record(group, "key_group_created", actor=actor, council_id=council.pk,
                 new={"theme": theme, "year": year, "leading_leader": getattr(leading_leader, "pk", None)})
    if leading_leader is not None:
        audit.notify([leading_leader], "key_group", f"请您领衔督办：{theme}", url="")
    return group


@transaction.atomic
def add_to_key_group(actor: Any, group_pk: Any, pks: Sequence[Any]) -> KeyGroup:
    """Add numbered cases to key group ``group_pk``; each becomes a key case (``is_key``). All or none."""
    group = KeyGroup.objects.select_for_update().filter(pk=group_pk).first() if str(group_pk).isdigit() else None
    if group is None or not is_council_staff(actor, group.council_id):
        raise NotFoundError()
    if not pks:
        raise DomainError("请选择要加入专题的案件。", field="ids")
    model = registry.get(group.case_type).model
    for pk in dict.fromkeys(pks):
        case = lock(model, pk, actor)
        if case.council_id != group.council_id:
            raise DomainError(f"《{case.title}》不属于本机构。", field="ids")
        require_act(case, actor, "key", "确定重点督办")
        if not case.number:
            raise DomainError(f"《{case.title}》尚未编号，不能列为重点督办。", field="ids")
        link = case_link(case)
        KeyGroupCase.objects.get_or_create(group=group, content_type=link["content_type"], object_id=case.pk)
        if not engine.update(case, {"is_key": True}, actor=actor, event="key_set", comment=group.theme):
            engine.bump(case)
            audit.record(case, "key_group_joined", actor=actor, comment=group.theme)
    audit.record(group, "key_group_cases", actor=actor, council_id=group.council_id, new={"cases": list(pks)})
    return group


@transaction.atomic
def add_key_group_note(actor: Any, group_pk: Any, *, text: str) -> KeyGroupNote:
    """A progress note (督办进展) on key group ``group_pk``, by the council's staff or its leading leader."""
    group = KeyGroup.objects.select_for_update().filter(pk=group_pk).first() if str(group_pk).isdigit() else None
    if group is None:
        raise NotFoundError()
    staff = is_council_staff(actor, group.council_id)
    if not staff and actor.pk != group.leading_leader_id:
        if is_council_leader(actor, group.council_id):
            raise ForbiddenError("只有领衔督办领导或工作人员可以填写督办进展。")
        raise NotFoundError()
    note = KeyGroupNote.objects.create(group=group, author=actor, text=_text(text, "text", "督办进展"))
    audit.record(group, "key_group_note", actor=actor, council_id=group.council_id, comment=note.text)
    return note
