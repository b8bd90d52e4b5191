"""The one engine that moves a case between workflow states.

Every state change of every case type goes through :func:`move`; every other change of a case's own
fields goes through :func:`update`. Both expect the case to have been fetched with :func:`lock_case`
inside the caller's ``transaction.atomic()`` block, so that the check and the write see the same row:

    with transaction.atomic():
        case = lock_case(Proposal, pk, expected_version=form_version)
        move(case, "file", actor=user, comment="...", changes={"number": "14-3-001"})

A case moves by an *act* (``Transition.act``: "submit", "file", "assign" …), never by a state code: a council
may rename and re-code every state in the admin, the acts stay.

Refusals raise :class:`~lvzhi.core.errors.DomainError` subclasses with a message in Chinese; the
surrounding transaction then rolls back, so the data stays as it was.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from lvzhi.core import audit
from lvzhi.core.calendar import add_period
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from lvzhi.workflow.models import Case, State, Transition

C = TypeVar("C", bound=Case)


def lock_case(model: type[C], pk: Any, *, expected_version: int | None = None,
              queryset: models.QuerySet[C] | None = None) -> C:
    """Fetch case ``pk`` locked for update (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers).

    ``queryset`` restricts what may be fetched (pass the user's visible cases); a missing or invisible
    case raises :class:`NotFoundError`. When ``expected_version`` is given and the stored version differs,
    someone changed the case since the user loaded it: raises :class:`ConflictError`.
    """
    try:
        if queryset is not None and not queryset.filter(pk=pk).exists():
            raise NotFoundError()
        # Lock the bare row: with joins, PostgreSQL re-checks a row it waited for against the *old* joined
        # rows, so a case whose state a concurrent writer changed would vanish instead of conflicting.
        case = model._default_manager.select_for_update().get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
    if expected_version is not None and case.version != int(expected_version):
        raise ConflictError()
    return case


def available_transitions(case: Case, user: Any) -> list[Transition]:
    """The transitions ``user`` may take from the case's current state, in display order."""
    roles = case.roles_of(user)  # type: ignore[attr-defined]
    return [t for t in Transition.objects.filter(source_id=case.state_id).select_related("target")
            if roles.intersection(t.roles)]


def find_transition(case: Case, act: str) -> Transition:
    """The transition taking act ``act`` from the case's current state.

    Raises :class:`DomainError` (field ``state``) when the workflow has no such act from this state.
    """
    transition = (Transition.objects.filter(source_id=case.state_id, act=act)
                  .select_related("target", "source").first())
    if transition is None:
        elsewhere = (Transition.objects.filter(workflow_id=case.workflow_id, act=act).select_related("target")
                     .first())
        label = elsewhere.target.name if elsewhere else act
        raise DomainError(f"当前状态「{case.state.name}」不能转为「{label}」。", field="state")
    return transition


def check_version(case: Case, expected_version: int | None) -> None:
    """:class:`ConflictError` when ``expected_version`` is given and differs from the locked case's version.

    Actions call it after their permission check, so that a request its sender may not make is refused for
    that reason (403) rather than as a conflict (409)."""
    if expected_version is not None and case.version != int(expected_version):
        raise ConflictError()


def authorize(case: Case, act: str, actor: Any, *, as_role: str | None = None,
              expected_version: int | None = None) -> Transition:
    """The transition of act ``act`` from the case's state if ``actor`` may take it (roles from the workflow
    data, ``as_role`` narrowing them as in :func:`move`).

    Checks in this order, so that each refusal names its true reason: :class:`ForbiddenError` when ``actor``
    holds none of the roles of any transition of the workflow with act ``act``; :class:`ConflictError` when
    ``expected_version`` is given and stale; :class:`DomainError` when the current state has no transition of act
    ``act``; :class:`ForbiddenError` when the actor holds none of that transition's roles.
    """
    roles = case.roles_of(actor)  # type: ignore[attr-defined]
    if as_role is not None:
        roles = roles & {as_role}
    into = list(Transition.objects.filter(workflow_id=case.workflow_id, act=act))
    if into and not any(roles.intersection(t.roles) for t in into):
        raise ForbiddenError(f"您无权执行「{into[0].name}」。")
    check_version(case, expected_version)
    transition = find_transition(case, act)
    if not roles.intersection(transition.roles):
        raise ForbiddenError(f"您无权执行「{transition.name}」。")
    return transition


def move(case: C, act: str, *, actor: Any, comment: str = "", changes: dict[str, Any] | None = None,
         as_role: str | None = None, event: str = "transition") -> Transition:
    """Move ``case`` (locked by :func:`lock_case`) by the transition of act ``act`` from its current state.

    Checks that the workflow graph has the act from this state and that ``actor`` holds one of its roles on
    this case (``as_role`` narrows that to one role, for acts done in an explicit capacity); requires a
    comment where the transition says so. Then applies ``changes`` (field name → value) to the case, enters the
    target state (its deadline computed from the state's time limit, working days by the statutory calendar),
    bumps the version and writes one audit entry with the old and new values.

    Raises :class:`DomainError` (no such act from this state, missing comment), :class:`ForbiddenError`
    (role). Returns the transition taken.
    """
    transition = authorize(case, act, actor, as_role=as_role)
    if transition.requires_comment and not comment.strip():
        raise DomainError(f"执行「{transition.name}」须填写意见。", field="comment")
    target = transition.target
    now = timezone.now()
    deadline = (add_period(timezone.localdate(now), target.time_limit, target.time_unit)
                if target.time_limit else None)
    all_changes = {"state": target, "state_entered_at": now, "state_deadline": deadline, **(changes or {})}
    _apply(case, all_changes, actor=actor, event=event, comment=comment,
           from_state=transition.source.code, to_state=target.code)
    return transition


def update(case: C, changes: dict[str, Any], *, actor: Any, event: str, comment: str = "") -> bool:
    """Change fields of a locked case outside a state change, with an audit entry and a version bump.

    Returns ``False`` and writes nothing when no value actually changes (idempotent double submits).
    """
    changed = {k: v for k, v in changes.items() if getattr(case, k) != v}
    if not changed:
        return False
    _apply(case, changed, actor=actor, event=event, comment=comment)
    return True


def bump(case: Case) -> None:
    """Increase the version of a locked case whose parts (assignments, replies) changed, so that a user
    acting on what they loaded before is told the case changed. The caller records the audit entry."""
    current = case.version
    if type(case)._default_manager.filter(pk=case.pk, version=current).update(version=current + 1) != 1:
        raise ConflictError()
    case.version = current + 1


def _apply(case: Case, changes: dict[str, Any], *, actor: Any, event: str, comment: str,
           from_state: str = "", to_state: str = "") -> None:
    old = {k: getattr(case, k) for k in changes if k not in ("state_entered_at",)}
    for key, value in changes.items():
        setattr(case, key, value)
    current_version = case.version
    case.version = current_version + 1
    fields = [*changes.keys(), "version"]
    values = {f: getattr(case, f) for f in fields}
    # Conditional UPDATE: even where the row lock is not available, a concurrent writer that got there
    # first makes this match no row, and the caller's transaction rolls back.
    updated = type(case)._default_manager.filter(pk=case.pk, version=current_version).update(**values)
    if updated != 1:
        raise ConflictError()
    new = {k: getattr(case, k) for k in old}
    audit.record(case, event, actor=actor, comment=comment, from_state=from_state, to_state=to_state,
                 old={k: _plain(v) for k, v in old.items()}, new={k: _plain(v) for k, v in new.items()})


def _plain(value: Any) -> Any:
    if isinstance(value, State):
        return value.code
    if isinstance(value, models.Model):
        return value.pk
    return value
