"""The public proposes livelihood projects from the portal (issue 7 §1): the portal home links the proposing
page only while a collection is open; a repeat of an earlier suggestion of the same collection (the similar-
case engine of lvzhi.smart.similar) is grouped with it, shown to staff on the screening page as "与 #n 相似"
with a merge button; the public page is rate-limited per address like the portal's messages."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import ProjectSuggestion, Screening
from tests.cases.npc import NPC

FIRST = {"title": "老旧小区加装电梯", "content": "小区楼龄三十年，老人上下楼困难，建议加装电梯。"}


def public_post(window_pk: int, **fields: str) -> int:
    answer = Client().post(f"/livelihood/collections/{window_pk}/propose/",
                           {"proposer_name": "市民甲", "proposer_contact": "13800000000", **fields})
    return answer.status_code


def test_portal_links_the_open_collection_only(npc: NPC) -> None:
    cache.clear()
    staff = npc.user("staff")
    today = timezone.localdate()
    assert "我要提建议" not in Client().get("/portal/").content.decode()
    act.open_collection(staff, npc.council, year=2030, opens=today - timedelta(days=30),
                        closes=today - timedelta(days=1))
    assert "我要提建议" not in Client().get("/portal/").content.decode()  # closed yesterday
    window = act.open_collection(staff, npc.council, year=2031, opens=today, closes=today + timedelta(days=9))
    page = Client().get("/portal/").content.decode()
    assert f'href="/livelihood/collections/{window.pk}/propose/"' in page and "2031 年度民生实事项目征集" in page


def test_a_repeat_is_grouped_with_the_earlier_item_and_staff_merge_it(npc: NPC) -> None:
    cache.clear()
    today = timezone.localdate()
    window = act.open_collection(npc.user("staff"), npc.council, year=2031, opens=today, closes=today)
    first = act.submit_project(npc.user("deputy0"), window, **FIRST)
    assert first.similar_to is None  # nothing earlier
    # The same text with other punctuation and spaces: the same matching form, similarity 1.0.
    assert public_post(window.pk, title="老旧小区 加装电梯！", content="小区楼龄三十年 老人上下楼困难 建议加装电梯") == 200
    # The same request reworded.
    assert public_post(window.pk, title="关于老旧小区加装电梯的建议",
                       content="我们小区楼龄三十年，老人上下楼很困难，希望加装电梯。") == 200
    # Nothing in common: no shared pair of characters.
    assert public_post(window.pk, title="背街小巷路灯维修", content="夜间照明不足，行人摔倒。") == 200
    same, reworded, other = ProjectSuggestion.objects.filter(window=window).exclude(pk=first.pk).order_by("pk")
    assert (same.similar_to_id, same.similarity) == (first.pk, 1.0)
    assert reworded.similar_to_id == first.pk and reworded.similarity is not None and reworded.similarity < 1.0
    assert (other.similar_to_id, other.similarity) == (None, None)
    # A repeat of the repeat is grouped with the first one.
    repeat = act.submit_project(npc.user("deputy1"), window, title="老旧小区加装电梯", content=FIRST["content"])
    assert repeat.similar_to_id == first.pk

    staff = Client()
    staff.force_login(npc.user("staff"))
    url = f"/livelihood/collections/{window.pk}/"
    page = staff.get(url).content.decode()
    assert page.count(f"与 #{first.pk} 相似") == 3 and f"并入 #{first.pk}" in page
    assert f"与 #{other.pk} 相似" not in page
    # The merge button sends the screening form: merged into the first, with a reason.
    staff.post(f"{url}screen/{same.pk}/", {"outcome": Screening.MERGED, "merged_into": first.pk,
                                           "reason": f"与 #{first.pk} 内容相同或相近，合并办理"})
    same.refresh_from_db()
    assert (same.screening, same.merged_into_id) == (Screening.MERGED, first.pk)
    assert staff.get(url).content.decode().count(f"并入 #{first.pk}") == 2  # the other two still pending
    # A deputy sees only their own items, without the grouping.
    deputy = Client()
    deputy.force_login(npc.user("deputy1"))
    assert "相似" not in deputy.get(url).content.decode()


@override_settings(LVZHI_PORTAL_RATE=(2, 600))
def test_the_public_page_is_rate_limited(npc: NPC) -> None:
    cache.clear()
    today = timezone.localdate()
    window = act.open_collection(npc.user("staff"), npc.council, year=2031, opens=today, closes=today)
    assert [public_post(window.pk, title=f"项目{i}") for i in range(3)] == [200, 200, 429]
    assert ProjectSuggestion.objects.filter(window=window).count() == 2
    answer = Client().post(f"/livelihood/collections/{window.pk}/propose/", {"title": "项目9"})
    assert "提交过于频繁" in answer.content.decode()
    cache.clear()
