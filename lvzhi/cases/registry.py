"""The case-type registry: every kind of case the handling core serves registers here once.

A case type is a detail model (a concrete :class:`~lvzhi.workflow.models.Case` with ``council``, ``number``,
``title``, ``is_key`` and a ``GenericRelation`` to :class:`~lvzhi.cases.models.Assignment`), its default workflow
and policy as data, and its access function. An app registers its type in ``AppConfig.ready()``::

    register(CaseType(key="suggestion", label="代表建议", model_label="suggestions.Suggestion",
                      council_kinds=("npc",), install=install_defaults, visible=visible_suggestions,
                      url=suggestion_url))

The core (assignment, replies, evaluation, inbox, reminders, statistics) then reads :func:`all` and never
imports an app of a case type. The detail model implements the small interface documented in
:class:`CaseModel`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.apps import apps
from django.db import models

from lvzhi.core.errors import DomainError


class CaseModel(Protocol):
    """What the core asks a case of any type (besides the fields of ``workflow.Case``).

    - ``council_id``, ``number`` (blank until numbered), ``title``, ``is_key``;
    - ``roles_of(user) -> set[str]``: roles relative to this case for the workflow's transitions and the
      policy's act roles (``staff``, ``leader``, ``admin``, ``unit_clerk``, ``unit_leader`` and the type's own
      submitter roles, e.g. ``deputy``/``seconder``);
    - ``party_user_ids() -> set[int]``: accounts told about the case's progress (submitters);
    - ``evaluator_ids(joint_reply_mode) -> list[int]``: accounts that must return the evaluation form for a
      reply (each joint submitter, or only the leading one, after the policy's ``joint_reply_mode``);
    - ``number_context() -> dict``: values the number pattern may use (``term``, ``session``, ``year``) and
      the scope ids (``term_id``, ``session_id``).
    """

    pk: Any
    council_id: int
    number: str
    title: str
    is_key: bool

    def roles_of(self, user: Any) -> set[str]: ...

    def party_user_ids(self) -> set[int]: ...

    def evaluator_ids(self, joint_reply_mode: str) -> list[int]: ...

    def number_context(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class CaseType:
    """One registered case type.

    ``key`` is stored in ``Workflow.case_type``, ``CaseTypePolicy.case_type``, ``ReplyGrade.case_type`` and on
    every assignment. ``council_kinds`` lists the ``Council.kind`` values it applies to (``cppcc``, ``npc``).
    ``install(council)`` creates its default workflow, policy and grade scale once (idempotent).
    ``visible(user)`` is the type's access function (a queryset of the cases ``user`` may see).
    ``url(pk)`` is the address of a case's page. ``selections`` maps a selection kind (``excellent``,
    ``golden_idea``) to the detail model's year field that records it.
    """

    key: str
    label: str
    model_label: str
    council_kinds: tuple[str, ...]
    install: Callable[[Any], None]
    visible: Callable[[Any], models.QuerySet[Any]]
    url: Callable[[int], str]
    selections: dict[str, str] = field(default_factory=dict)

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def applies_to(self, council: Any) -> bool:
        return council.kind in self.council_kinds


_REGISTRY: dict[str, CaseType] = {}


def register(case_type: CaseType) -> CaseType:
    """Register ``case_type`` (again: replaced, so that ``ready()`` may run twice in tests)."""
    _REGISTRY[case_type.key] = case_type
    return case_type


def get(key: str) -> CaseType:
    """The registered type ``key``; :class:`DomainError` (field ``case_type``) when none is registered."""
    try:
        return _REGISTRY[key]
    except KeyError:
        raise DomainError(f"案件类型「{key}」未注册。", field="case_type") from None


def all() -> list[CaseType]:
    """Every registered type, in registration order."""
    return list(_REGISTRY.values())


def for_model(model: type[models.Model] | models.Model) -> CaseType:
    """The type whose detail model is ``model`` (a class or an instance)."""
    cls = model if isinstance(model, type) else type(model)
    for case_type in _REGISTRY.values():
        if case_type.model is cls._meta.concrete_model:
            return case_type
    raise DomainError(f"「{cls._meta.verbose_name}」不是已注册的案件类型。", field="case_type")


def for_council(council: Any) -> list[CaseType]:
    """The types that apply to ``council`` (by its kind)."""
    return [t for t in _REGISTRY.values() if t.applies_to(council)]


def install_for(council: Any, keys: Iterable[str] | None = None) -> list[str]:
    """Install the defaults (workflow, policy, grades) of every type that applies to ``council`` (or of
    ``keys``); returns the keys installed. Idempotent: what exists is kept as configured."""
    chosen = [get(k) for k in keys] if keys is not None else for_council(council)
    for case_type in chosen:
        case_type.install(council)
    return [t.key for t in chosen]
