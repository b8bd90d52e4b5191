"""Chinese full-text search that behaves the same on SQLite and PostgreSQL.

Documents keep a ``search_text`` column of jieba tokens (search mode, so both 医疗 and 医疗保障 are
there) separated by spaces; a query is segmented the same way and every token must occur. This is a
``LIKE`` scan: fine for a council's tens of thousands of cases (see ``bench/``), and identical on both
databases.
"""

from __future__ import annotations

import logging
import re

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
