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
from lvzhi.workflow.models import ActPermission, Case, State, Transition

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


def acts_from(case: Case) -> set[str]:
    """The acts of every transition leaving the case's current state, whoever may take them (pages combine
    this with the user's roles on the case; the actions remain the authority)."""
    return set(Transition.objects.filter(source_id=case.state_id).values_list("act", flat=True))


def has_act(case: Case, act: str) -> bool:
    """Whether the workflow has a transition of act ``act`` from the case's current state."""
    return Transition.objects.filter(source_id=case.state_id, act=act).exists()


def states_entered_by(act: str) -> models.QuerySet[State]:
    """The states (of every workflow) that a transition of act ``act`` leads to, e.g. the withdrawn states for
    ``"withdraw"``: for counting cases by what happened to them, whatever the states are called."""
    return State.objects.filter(pk__in=Transition.objects.filter(act=act).values("target_id"))


def states_leaving_by(act: str) -> models.QuerySet[State]:
    """The states (of every workflow) from which a transition of act ``act`` leaves."""
    return State.objects.filter(pk__in=Transition.objects.filter(act=act).values("source_id"))


def state_after(workflow_id: int, act: str) -> State:
    """The state that act ``act`` leads to in workflow ``workflow_id`` (its first transition of that act), e.g.
    the handling state after ``"assign"`` whose time limit sets the reply deadline.

    Raises :class:`DomainError` when the workflow has no transition of that act."""
    transition = (Transition.objects.filter(workflow_id=workflow_id, act=act).select_related("target")
                  .order_by("id").first())
    if transition is None:
        raise DomainError(f"流程缺少操作「{act}」，请管理员检查流程配置。")
    return transition.target


def act_permission(case: Case, act: str) -> ActPermission | None:
    """The workflow's permission for act ``act`` (not a transition: ``key``, ``excellent``, ``follow_up``,
    ``reassign``, ``merge``, ``convert``), or ``None`` when the workflow grants it to nobody."""
    return ActPermission.objects.filter(workflow_id=case.workflow_id, act=act).first()


def act_allowed(case: Case, act: str, roles: set[str]) -> bool:
    """Whether holders of ``roles`` on the case may take act ``act`` in its current state (per
    :class:`ActPermission`; ``False`` when the workflow has none)."""
    permission = act_permission(case, act)
    return (permission is not None and bool(roles.intersection(permission.roles))
            and permission.states.filter(pk=case.state_id).exists())


def check_act(case: Case, act: str, actor: Any, *, field: str = "state") -> set[str]:
    """Refuse unless ``actor`` may take act ``act`` on the case now; returns the actor's roles on the case.

    Raises :class:`ForbiddenError` when the actor holds none of the permitted roles (or the workflow grants
    the act to nobody), :class:`DomainError` (``field``, ``state`` by default) when the case's state does not
    allow it."""
    roles: set[str] = case.roles_of(actor)  # type: ignore[attr-defined]
    permission = act_permission(case, act)
    if permission is None or not roles.intersection(permission.roles):
        raise ForbiddenError(f"您无权{permission.name if permission else act}。")
    if not permission.states.filter(pk=case.state_id).exists():
        raise DomainError(f"当前状态「{case.state.name}」不能{permission.name}。", field=field)
    return roles


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
           from_state=transition.source.code, to_state=target.code,
           state_ids=(transition.source_id, target.pk))
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
           from_state: str = "", to_state: str = "", state_ids: tuple[int, int] | None = None) -> None:
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
    old_values, new_values = {k: _plain(v) for k, v in old.items()}, {k: _plain(v) for k, v in new.items()}
    if state_ids is not None:  # the states' ids: the timeline names them even after a re-code (state_label)
        old_values["state_id"], new_values["state_id"] = state_ids
    audit.record(case, event, actor=actor, comment=comment, from_state=from_state, to_state=to_state,
                 old=old_values, new=new_values)


class StateNames:
    """Names the states audit entries of one workflow recorded, as they are called now.

    Audit entries keep ``from_state``/``to_state`` as the codes at the time (never rewritten) and, since
    release 0003 of the workflow app, the states' ids in ``old_values``/``new_values["state_id"]``. A state is
    named by its id where recorded (right after any re-code or rename), else by its code at the time looked up
    in the workflow, else the recorded code itself (a state since deleted)."""

    def __init__(self, workflow_id: int) -> None:
        rows = list(State.objects.filter(workflow_id=workflow_id).values_list("pk", "code", "name"))
        self.by_id = {pk: name for pk, _, name in rows}
        self.by_code = {code: name for _, code, name in rows}

    def of(self, code: str, state_id: Any = None) -> str:
        """The name of the state recorded as ``code`` (and ``state_id`` where known); ``""`` for none."""
        if state_id in self.by_id:
            return self.by_id[state_id]
        return self.by_code.get(code, code) if code else ""

    def of_entry(self, entry: Any) -> tuple[str, str]:
        """``(from name, to name)`` of an :class:`~lvzhi.core.models.AuditEntry` (``""`` where none)."""
        old, new = entry.old_values or {}, entry.new_values or {}
        return self.of(entry.from_state, old.get("state_id")), self.of(entry.to_state, new.get("state_id"))


def _plain(value: Any) -> Any:
    if isinstance(value, State):
        return value.code
    if isinstance(value, models.Model):
        return value.pk
    return value
