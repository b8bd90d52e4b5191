"""The writers of what only deputies' suggestions have: drafting, seconding deputies, submission, review
(return with a ground, or accept with a number). Handling (assignment, send-back, replies, evaluation,
follow-up, instructions, key groups, selection, closing) is the core's: :mod:`lvzhi.cases.actions`, called
with :class:`~lvzhi.suggestions.models.Suggestion`.

Each function is one act: one transaction, the case locked (only if the actor may see it), permission by
the suggestion's roles and the workflow engine, one audit entry, notifications after commit. Refusals raise
:class:`~lvzhi.core.errors.DomainError` with a Chinese message naming the field; nothing is half-written.
Rules: ``shared/domain/WORKFLOWS.md`` §2 and the Shanghai rules on deputies' suggestions (arts. 4, 5, 8, 11).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases import people, registry
from lvzhi.cases.actions import check_move, lock
from lvzhi.cases.policy import limit_from, policy_for, take_number, workflow_for
from lvzhi.core import audit
from lvzhi.core.errors import DomainError, ForbiddenError, NotFoundError
from lvzhi.members.access import is_council_staff
from lvzhi.members.models import Member, Organisation, Session
from lvzhi.suggestions.choices import DELEGATION_KIND, DeputyRole, DeputyStatus, Period
from lvzhi.suggestions.defaults import CASE_TYPE
from lvzhi.suggestions.models import Suggestion, SuggestionDeputy
from lvzhi.workflow import engine

EDITABLE_FIELDS = ("title", "content", "category", "delegation")
#: The longest suggestion text accepted, in characters (a suggestion is one matter, usually under 2,000).
CONTENT_MAX = 20_000


def _url(suggestion: Suggestion) -> str:
    return registry.get(CASE_TYPE).url(suggestion.pk)


def _text(value: str | None, field: str, label: str, *, required: bool, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(f"请填写「{label}」。", field=field)
    if max_length and len(text) > max_length:
        raise DomainError(f"「{label}」不能超过 {max_length} 个字（现有 {len(text)} 个）。", field=field)
    return text


def _check_delegation(delegation: Organisation | None, council_id: int) -> None:
    if delegation is not None and (delegation.council_id != council_id or delegation.kind != DELEGATION_KIND):
        raise DomainError("代表团须为本机构的代表团。", field="delegation")


def period_of(session: Session, when: datetime) -> str:
    """``session`` (大会期间) when ``when``'s local date is on or before the session's closing day
    (``plenary_end``), ``interim`` (闭会期间) after it [N9]."""
    day = timezone.localdate(when) if timezone.is_aware(when) else when.date()
    return Period.SESSION if day <= session.plenary_end else Period.INTERIM


@transaction.atomic
def create_suggestion(actor: Any, *, session: Session, title: str, content: str = "", category: str = "",
                      delegation: Organisation | None = None, leading_deputy: Member | None = None,
                      seconders: Sequence[Member] = (), is_demo: bool = False) -> Suggestion:
    """Draft a suggestion; returns it in the workflow's initial state (草稿).

    A deputy drafts as its leading deputy (领衔代表); the deputies' affairs staff enter a paper suggestion
    for ``leading_deputy``. Seconding deputies are invited at once (see :func:`invite_seconders`). Raises
    :class:`DomainError` naming the field (title, session, leading_deputy, delegation, category),
    :class:`ForbiddenError` for someone who is neither a deputy nor staff of the council.
    """
    council = session.term.council
    if not registry.get(CASE_TYPE).applies_to(council):
        raise DomainError("该机构不受理代表建议。", field="session")
    own_member = people.member_id_of(actor)
    if is_council_staff(actor, council.pk):
        if leading_deputy is None:
            raise DomainError("请选择领衔代表。", field="leading_deputy")
    elif own_member and Member.objects.filter(pk=own_member, council=council).exists():
        if leading_deputy is not None and leading_deputy.pk != own_member:
            raise ForbiddenError("代表只能以本人名义领衔提出建议。")
        leading_deputy = Member.objects.get(pk=own_member)
    else:
        raise ForbiddenError("只有本机构的代表或代表工作人员可以提出代表建议。")
    if leading_deputy.council_id != council.pk:
        raise DomainError("领衔代表不是本机构的代表。", field="leading_deputy")
    title = _text(title, "title", "标题", required=True, max_length=200)
    _check_delegation(delegation, council.pk)
    workflow = workflow_for(council.pk, CASE_TYPE)
    policy_for(council.pk, CASE_TYPE)
    suggestion = Suggestion.objects.create(
        council=council, session=session, workflow=workflow, state=workflow.initial_state(), title=title,
        content=_text(content, "content", "内容", required=False, max_length=CONTENT_MAX),
        category=_text(category, "category", "类别", required=False, max_length=50), delegation=delegation,
        created_by=actor, is_demo=is_demo)
    SuggestionDeputy.objects.create(suggestion=suggestion, member=leading_deputy, role=DeputyRole.LEADING,
                                    status=DeputyStatus.CONFIRMED, responded_at=timezone.now())
    audit.record(suggestion, "created", actor=actor, to_state=suggestion.state.code,
                 new={"title": title, "leading_deputy": leading_deputy.name})
    if seconders:
        _invite(suggestion, actor, seconders)
    return suggestion


@transaction.atomic
def update_draft(actor: Any, pk: Any, *, expected_version: int | None = None, **fields: Any) -> Suggestion:
    """Change ``title``, ``content``, ``category`` or ``delegation`` while the state lets the submitter edit
    (草稿, 已退回). Raises :class:`ConflictError` for a stale ``expected_version``, :class:`DomainError`
    naming the field."""
    suggestion = lock(Suggestion, pk, actor, expected_version=expected_version)
    if not suggestion.roles_of(actor) & {"deputy", "staff"}:
        raise ForbiddenError("您无权修改该建议。")
    if not suggestion.state.submitter_may_edit:
        raise DomainError(f"建议处于「{suggestion.state.name}」状态，不能修改。", field="state")
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise DomainError(f"不能修改字段：{'、'.join(unknown)}。", field=unknown[0])
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "title":
            value = _text(value, "title", "标题", required=True, max_length=200)
        elif name == "category":
            value = _text(value, "category", "类别", required=False, max_length=50)
        elif name == "content":
            value = _text(value, "content", "内容", required=False, max_length=CONTENT_MAX)
        else:
            _check_delegation(value, suggestion.council_id)
        changes[name] = value
    engine.update(suggestion, changes, actor=actor, event="edited")
    return suggestion


def _invite(suggestion: Suggestion, actor: Any, members: Sequence[Member]) -> list[SuggestionDeputy]:
    pol = policy_for(suggestion.council_id, CASE_TYPE)
    expires = limit_from(timezone.localdate(), pol.confirm_limit, pol.confirm_limit_unit)
    created: list[SuggestionDeputy] = []
    for member in dict.fromkeys(members):
        if member.council_id != suggestion.council_id:
            raise DomainError(f"{member.name} 不是本机构的代表。", field="seconders")
        row = SuggestionDeputy.objects.filter(suggestion=suggestion, member=member).first()
        if row is not None and row.role == DeputyRole.LEADING:
            raise DomainError("领衔代表不能同时作为附议代表。", field="seconders")
        if row is None:
            row = SuggestionDeputy.objects.create(suggestion=suggestion, member=member, role=DeputyRole.SECONDING,
                                                  expires_at=expires)
        elif row.status in (DeputyStatus.DECLINED, DeputyStatus.EXPIRED) or (
                row.status == DeputyStatus.PENDING and row.expires_at and row.expires_at < timezone.localdate()):
            row.status, row.expires_at, row.responded_at = DeputyStatus.PENDING, expires, None
            row.save(update_fields=["status", "expires_at", "responded_at"])
        else:
            continue
        created.append(row)
        profile = getattr(member, "profile", None)
        audit.notify([profile.user] if profile is not None else [], "second",
                     f"代表邀请您附议建议《{suggestion.title}》，请于 {expires:%Y-%m-%d} 前确认。", url=_url(suggestion))
    if created:
        audit.record(suggestion, "seconders_invited", actor=actor,
                     new={"members": [r.member.name for r in created], "expires_at": expires})
    return created


@transaction.atomic
def invite_seconders(actor: Any, pk: Any, members: Sequence[Member], *,
                     expected_version: int | None = None) -> list[SuggestionDeputy]:
    """The leading deputy invites seconding deputies (附议代表), each to confirm before the policy's limit
    [N1]. Only while the submitter may edit. Re-inviting a deputy who declined or let it lapse renews the
    invitation. Changes the version (the suggestion's parties changed)."""
    if not members:
        raise DomainError("请选择附议代表。", field="seconders")
    suggestion = lock(Suggestion, pk, actor, expected_version=expected_version)
    if "deputy" not in suggestion.roles_of(actor):
        raise ForbiddenError("只有领衔代表可以邀请附议代表。")
    if not suggestion.state.submitter_may_edit:
        raise DomainError("建议已提交，不能再邀请附议代表。", field="state")
    created = _invite(suggestion, actor, members)
    if created:
        engine.bump(suggestion)
    return created


@transaction.atomic
def respond_to_invitation(actor: Any, pk: Any, *, accept: bool) -> SuggestionDeputy:
    """An invited deputy confirms (``accept=True``) or declines seconding suggestion ``pk``, before the
    invitation's expiry and while the suggestion is not yet submitted. A late answer is refused and writes
    nothing (the invitation is marked expired at submission). Raises :class:`NotFoundError` when the actor
    was not invited, :class:`DomainError` otherwise."""
    suggestion = lock(Suggestion, pk, actor)
    member_id = people.member_id_of(actor)
    row = (SuggestionDeputy.objects.select_for_update().filter(suggestion=suggestion, member_id=member_id,
                                                               role=DeputyRole.SECONDING).first()
           if member_id else None)
    if row is None:
        raise NotFoundError()
    if row.status != DeputyStatus.PENDING:
        raise DomainError(f"您已答复过该附议邀请（{row.get_status_display()}）。", field="accept")
    if not suggestion.state.submitter_may_edit:
        raise DomainError("建议已提交，附议邀请已关闭。", field="accept")
    if row.expires_at and timezone.localdate() > row.expires_at:
        raise DomainError(f"附议邀请已于 {row.expires_at:%Y-%m-%d} 过期。", field="accept")
    row.status = DeputyStatus.CONFIRMED if accept else DeputyStatus.DECLINED
    row.responded_at = timezone.now()
    row.save(update_fields=["status", "responded_at"])
    audit.record(suggestion, "second_confirmed" if accept else "second_declined", actor=actor,
                 new={"member": row.member.name})
    audit.notify(people.users(suggestion.party_user_ids()), "second",
                 f"{row.member.name}{'确认' if accept else '拒绝'}附议建议《{suggestion.title}》。", url=_url(suggestion))
    return row


@transaction.atomic
def submit(actor: Any, pk: Any, *, expected_version: int | None = None, at: datetime | None = None) -> Suggestion:
    """Submit a draft (or a returned suggestion) by act ``submit``.

    The content must be stated (one matter, with concrete suggestions: Shanghai rules art. 6). Pending
    seconding invitations lapse (marked expired, each audited). The period is decided by the date (``at``
    for a paper suggestion entered later; now by default): 大会期间 up to the session's closing day,
    闭会期间 after it; a suggestion raised during the session names its delegation. Raises
    :class:`DomainError` naming the field, :class:`ForbiddenError` for someone else's suggestion.
    """
    suggestion = lock(Suggestion, pk, actor, expected_version=expected_version)
    check_move(suggestion, actor, "submit")
    if not suggestion.content.strip():
        raise DomainError("请填写建议「内容」后再提交。", field="content")
    when = at or timezone.now()
    period = period_of(suggestion.session, when)
    if period == Period.SESSION and suggestion.delegation_id is None:
        raise DomainError("大会期间提出的建议须选择所在代表团。", field="delegation")
    pending = list(SuggestionDeputy.objects.filter(suggestion=suggestion, status=DeputyStatus.PENDING))
    for row in pending:
        row.status = DeputyStatus.EXPIRED
        row.save(update_fields=["status"])
    engine.move(suggestion, "submit", actor=actor, changes={"submitted_at": when, "period": period})
    if pending:
        audit.record(suggestion, "seconders_lapsed", actor=actor, new={"members": [r.member.name for r in pending]})
    audit.notify(people.staff_users(suggestion.council_id), "submitted", f"新代表建议待受理：《{suggestion.title}》",
                 url=_url(suggestion))
    return suggestion


@transaction.atomic
def withdraw(actor: Any, pk: Any, *, expected_version: int | None = None) -> Suggestion:
    """The leading deputy withdraws the suggestion before it is accepted (Shanghai rules art. 10)."""
    suggestion = lock(Suggestion, pk, actor, expected_version=expected_version)
    engine.move(suggestion, "withdraw", actor=actor)
    return suggestion


@transaction.atomic
def return_suggestion(actor: Any, pk: Any, *, ground: str, comment: str,
                      expected_version: int | None = None) -> Suggestion:
    """The staff return a submitted suggestion to the deputy on one of the policy's grounds (a 议案, a case
    in litigation, vague …: Shanghai rules art. 8) with an explanation (``comment``). Raises
    :class:`DomainError` (field ``ground`` / ``comment``), :class:`ForbiddenError` without the staff role."""
    suggestion = lock(Suggestion, pk, actor, expected_version=expected_version)
    check_move(suggestion, actor, "return")
    pol = policy_for(suggestion.council_id, CASE_TYPE)
    label = pol.ground_label(ground or "")
    if label is None:
        options = "、".join(str(g.get("label")) for g in pol.return_grounds)
        raise DomainError(f"请选择退回理由：{options}。", field="ground")
    comment = _text(comment, "comment", "退回说明", required=True)
    engine.move(suggestion, "return", actor=actor, comment=comment, changes={"return_ground": ground})
    audit.notify(people.users(suggestion.party_user_ids()), "returned",
                 f"建议《{suggestion.title}》被退回（{label}）：{comment}", url=_url(suggestion))
    return suggestion


@transaction.atomic
def accept(actor: Any, pk: Any, *, category: str | None = None, comment: str = "",
           expected_version: int | None = None) -> Suggestion:
    """The staff accept (受理) a submitted suggestion by act ``accept``; entering a state that takes a number
    (``State.takes_number``) it gets the next number of its scope after the policy (``{term}-{session}-
    {seq:03d}`` per session by default), race-free. Raises :class:`ForbiddenError` without the staff role."""
    suggestion = lock(Suggestion, pk, actor, expected_version=expected_version)
    transition = check_move(suggestion, actor, "accept")
    changes: dict[str, Any] = {"accepted_at": timezone.now()}
    if category is not None:
        changes["category"] = _text(category, "category", "类别", required=False, max_length=50)
    if transition.target.takes_number and not suggestion.number:
        changes["number"] = take_number(suggestion, policy_for(suggestion.council_id, CASE_TYPE))
    engine.move(suggestion, "accept", actor=actor, comment=comment, changes=changes)
    audit.notify(people.users(suggestion.party_user_ids()), "accepted",
                 f"建议《{suggestion.title}》已受理，编号 {suggestion.number}。", url=_url(suggestion))
    return suggestion
