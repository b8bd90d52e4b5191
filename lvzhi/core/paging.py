"""Bounds of list paging: the API's ``offset`` (every list endpoint) and the list pages' row count.

``offset`` counts rows skipped (0-based, ≥ 0). It stops at :data:`MAX_OFFSET`: a larger offset cannot address a
row of any deployment and would overflow the database's 64-bit ``OFFSET`` (a server error before). The API
answers an offset outside 0 … MAX_OFFSET with 422 naming ``offset``. Source: issue "Production …", item 3.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

MAX_OFFSET = 1_000_000_000


# ---------------------------------------------------------------------------------------------- list pages

COUNT_CAP = 10_000
"""Rows a list page counts at most (:class:`CappedPaginator`): beyond it the page says 「超过 10000 件」."""


class CappedPaginator(Paginator):
    """Django's paginator for the list pages, with the row count capped at ``cap`` (default
    :data:`COUNT_CAP`, rows).

    An exact ``COUNT(*)`` over a million rows costs hundreds of milliseconds on every page view, and
    ``OFFSET`` deep in such a table costs seconds; nobody pages through 400 pages of 25. So the paginator
    counts the filtered rows without their ordering and stops at ``cap + 1`` (one bounded scan, at most
    ``cap + 1`` rows), ``count`` is then ``cap`` and ``count_is_capped`` true, and the pages end at
    ``cap / per_page``: a page number past them answers the last of them (``get_page``), whose ``OFFSET`` is at
    most ``cap``. Below the cap it is Django's paginator exactly. The page shows 「超过 10000 件，请用筛选条件缩小范围」
    instead of 「共 N 件」, as search engines and GitLab do. The query count does not change with the table
    size: one count and one page of rows. Source: issue "Production …", item 2 (lists at 1,000,000 rows).
    """

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _bounded_count(self) -> int:
        return self.queryset.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        """Rows in the list, at most ``cap``."""
        return min(self._bounded_count, self.cap)

    @property
    def count_is_capped(self) -> bool:
        """Whether the list holds more than ``cap`` rows (``count`` is then ``cap``)."""
        return self._bounded_count > self.cap
