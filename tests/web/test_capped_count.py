"""List pages count at most ``COUNT_CAP`` rows (lvzhi/core/paging.py): below it Django's paginator exactly;
beyond it the count stops at the cap with one bounded, unordered count query, the pages end at the cap, a page
number past them answers the last of them, and the page says 「超过 N 件」. Expected figures worked out by hand."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.core import paging
from lvzhi.core.paging import CappedPaginator
from lvzhi.members import actions as org
from lvzhi.members.models import HandlingUnit

pytestmark = pytest.mark.django_db


def _units(world, n):
    for i in range(n):
        org.save_unit(None, world.council, name=f"测试单位{i:02d}")
    return HandlingUnit.objects.filter(council=world.council).order_by("id")


def test_below_the_cap_it_counts_exactly(world):
    units = _units(world, 4)  # 3 from the world + 4 = 7 rows
    paginator = CappedPaginator(units, 2, cap=100)
    assert (paginator.count, paginator.count_is_capped, paginator.num_pages) == (7, False, 4)
    assert [u.name for u in paginator.get_page(4)] == ["测试单位03"]


def test_beyond_the_cap_count_and_pages_stop_at_it(world):
    units = _units(world, 4)  # 7 rows, cap 5: count 5, pages of 2 → 3 pages, the 3rd holds the 5th row
    paginator = CappedPaginator(units, 2, cap=5)
    with CaptureQueriesContext(connection) as counted:
        assert (paginator.count, paginator.count_is_capped, paginator.num_pages) == (5, True, 3)
    assert len(counted.captured_queries) == 1
    sql = counted.captured_queries[0]["sql"].upper()
    assert "LIMIT 6" in sql and "ORDER BY" not in sql  # reads at most cap + 1 rows, in no particular order
    fifth = list(units)[4]
    page = paginator.get_page(99)  # past the last page: the last page
    assert page.number == 3 and [u.pk for u in page] == [fifth.pk]
    assert not page.has_next()


def test_proposal_list_says_more_than_the_cap_and_pages_still_work(world, login, make_proposal, monkeypatch):
    for i in range(3):
        make_proposal("submitted", title=f"关于第{i}件事的建议")
    client = login("staff")
    page = client.get("/proposals/").content.decode()
    assert "共 3 件" in page and "超过" not in page
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    page = client.get("/proposals/").content.decode()
    assert "超过 2 件，请用筛选条件缩小范围" in page and "共 3 件" not in page
    assert page.count("关于第") == 2  # the two newest rows, on the one page the cap allows
