"""The duty record (履职档案) as a list of acts, computed from the records of every app.

An :class:`Act` is one thing a member did (or failed to do) in a period: its ``kind`` (``meeting``,
``speech``, ``proposal``, ``suggestion``, ``report`` …), date, title, a link to the object, and attributes
the scoring rules match on (``role``, ``filed``, ``outcome`` …). Each source app has one provider,
registered here with :func:`register`; later modules (liaison stations, livelihood votes) register theirs
in their ``AppConfig.ready`` and their acts appear in the record and can be scored without touching this
app. Nothing of the record is typed by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from lvzhi.members.models import Council


class Act(NamedTuple):
    """One act of a member: ``key`` is unique across providers (``"proposal:12"``), ``url`` the object's page,
    ``attrs`` the attributes rules may match (values are str, int or bool; never mutated — providers may
    share one mapping between acts with the same attributes). A named tuple: immutable and cheap to make
    (a council's year is about 100,000 acts)."""

    member_id: int
    kind: str
    day: date
    title: str
    url: str
    key: str
    attrs: Mapping[str, Any]


#: ``provider(council, start, end, member_ids)`` yields the acts of the council's members dated from
#: ``start`` to ``end`` inclusive (of ``member_ids`` only, when given). Constant number of queries.
ProviderFn = Callable[[Council, date, date, "set[int] | None"], Iterable[Act]]


@dataclass(frozen=True)
class ActKind:
    """A kind of act: its label, and its attributes with their labels and possible values (for the rule
    editor and the explanation)."""

    key: str
    label: str
    attrs: Mapping[str, str]
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Provider:
    """A registered provider; ``council_kinds`` the kinds of council it applies to (empty: every kind)."""

    key: str
    label: str
    kinds: tuple[ActKind, ...]
    fn: ProviderFn
    council_kinds: frozenset[str] = frozenset()

    def applies_to(self, council: Council) -> bool:
        return not self.council_kinds or council.kind in self.council_kinds


_PROVIDERS: dict[str, Provider] = {}


def register(key: str, label: str, kinds: Iterable[ActKind], fn: ProviderFn, *,
             council_kinds: Iterable[str] = ()) -> None:
    """Register (or replace) the provider ``key``, for the councils of ``council_kinds`` (default: all)."""
    _PROVIDERS[key] = Provider(key, label, tuple(kinds), fn, frozenset(council_kinds))


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())


def kinds(council: Council | None = None) -> dict[str, ActKind]:
    """Every registered act kind by key (of the providers that apply to ``council`` when given)."""
    return {k.key: k for p in _PROVIDERS.values() if council is None or p.applies_to(council) for k in p.kinds}


def acts_of(council: Council, start: date, end: date, member_ids: set[int] | None = None) -> list[Act]:
    """Every act of ``council``'s members from ``start`` to ``end`` (inclusive), of ``member_ids`` only when
    given, sorted by member, date and key."""
    out: list[Act] = []
    for provider in _PROVIDERS.values():
        if provider.applies_to(council):
            out.extend(provider.fn(council, start, end, member_ids))
    out.sort(key=_ORDER)
    return out


_ORDER = attrgetter("member_id", "day", "key")


def unregister(key: str) -> None:
    """Remove provider ``key`` (tests; a module being uninstalled)."""
    _PROVIDERS.pop(key, None)
