"""Chinese full-text search that behaves the same on SQLite and PostgreSQL.

Documents keep a ``search_text`` column of jieba tokens (search mode, so both 医疗 and 医疗保障 are
there) separated by spaces; a query is segmented the same way and every token must occur. This is a
``LIKE`` scan: fine for a council's tens of thousands of cases (see ``bench/``), and identical on both
databases.

The header search (``/search/``) asks every case type registered with :func:`register_provider` for what the
user may see; each type searches its own fields (number, title, text, proposer) through its access layer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import jieba
from django.db.models import Q

jieba.setLogLevel(logging.WARNING)

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Search tokens of ``text`` (jieba search-mode segmentation, punctuation dropped, lower-cased)."""
    return [t.lower() for t in jieba.cut_for_search(text or "") if t.strip() and not _PUNCT.fullmatch(t)]


def index_text(*parts: str) -> str:
    """The value to store in a ``search_text`` column for a document made of ``parts``."""
    return " ".join(dict.fromkeys(tokens(" ".join(p for p in parts if p))))


def query_filter(query: str, field: str = "search_text") -> Q:
    """A ``Q`` requiring every token of ``query`` in ``field``; empty ``Q()`` for a blank query."""
    q = Q()
    words = [t.lower() for t in jieba.cut(query or "") if t.strip() and not _PUNCT.fullmatch(t)]
    for token in dict.fromkeys(words):
        q &= Q(**{f"{field}__contains": token})
    return q


# --- the header search across every case type ------------------------------------------------------------------

#: Longest query the header search accepts (characters); longer ones are cut.
QUERY_MAX = 100


@dataclass(frozen=True)
class Hit:
    """One case found: its number (may be empty), title, state name, date (submitted or created) and page."""

    number: str
    title: str
    state: str
    day: date | None
    url: str


@dataclass(frozen=True)
class Group:
    """The hits of one case type: ``total`` found, the first ``hits``, and ``more`` (the type's list page
    filtered by the query, when it has one)."""

    key: str
    label: str
    total: int
    hits: list[Hit]
    more: str


#: ``provider(user, query, limit)`` → (number found, the first ``limit`` hits), among what ``user`` may see.
SearchFn = Callable[[Any, str, int], tuple[int, list[Hit]]]
_PROVIDERS: dict[str, tuple[object, SearchFn, object, dict[str, str]]] = {}


def register_provider(key: str, label: object, fn: SearchFn, *, list_url: object = "",
                      list_params: dict[str, str] | None = None) -> None:
    """Register a case type's search: ``label`` (a lazy Chinese string), ``list_url`` its list page (a lazy
    ``reverse``; the page must filter by ``?q=``) with ``list_params`` added. Case-type apps call this in
    ``AppConfig.ready``; core imports none of them."""
    _PROVIDERS[key] = (label, fn, list_url, dict(list_params or {}))


def text_filter(query: str, fields: Sequence[str]) -> Q:
    """A ``Q`` requiring each blank-separated term of ``query`` in at least one of ``fields`` (case-insensitive
    substring); empty ``Q()`` for a blank query."""
    q = Q()
    for term in dict.fromkeys((query or "").split()):
        one = Q()
        for field in fields:
            one |= Q(**{f"{field}__icontains": term})
        q &= one
    return q


def search_everything(user: Any, query: str, *, limit: int = 10) -> list[Group]:
    """Every registered case type searched for ``query`` (cut to :data:`QUERY_MAX` characters) among the cases
    ``user`` may see, types with hits first; ``[]`` for a blank query."""
    query = " ".join((query or "").split())[:QUERY_MAX]
    if not query:
        return []
    groups: list[Group] = []
    for key, (label, fn, list_url, params) in _PROVIDERS.items():
        total, hits = fn(user, query, limit)
        more = f"{list_url}?{urlencode({**params, 'q': query})}" if list_url and total > len(hits) else ""
        groups.append(Group(key, str(label), total, hits, more))
    return sorted(groups, key=lambda g: g.total == 0)


def case_hits(found: Any, limit: int, url: Callable[[Any], str]) -> tuple[int, list[Hit]]:
    """(count, first ``limit`` hits) of a queryset of cases (models on ``lvzhi.workflow.models.Case`` with
    ``title``, ``state``, ``created_at`` and optionally ``number`` / ``submitted_at``), newest first."""
    from django.utils import timezone

    found = found.distinct()
    total = found.count()
    rows = list(found.select_related("state").order_by("-created_at", "-pk")[:limit]) if total else []
    hits = []
    for case in rows:
        when = getattr(case, "submitted_at", None) or case.created_at
        hits.append(Hit(str(getattr(case, "number", "") or ""), case.title, case.state.name,
                        timezone.localdate(when) if when else None, url(case)))
    return total, hits
