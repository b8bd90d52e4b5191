"""The similar-case panel marks a reworded repeat complaint as the same matter (the detector of find-duplicates),
not the same complaint posted for another district."""

from __future__ import annotations

from typing import Any

import pytest

from lvzhi.opinions import actions as op
from lvzhi.smart import service

pytestmark = pytest.mark.django_db

BODY = ("A2区丽发新城小区旁边新建的搅拌站每天晚上施工到凌晨两三点，噪音和粉尘非常大，居民无法入睡，"
        "多次向环保部门反映都没有结果，请求相关部门依法查处。")


def test_repeat_complaint_marked_same_matter_other_district_not(world: Any) -> None:
    staff = world.user("staff")
    first = op.register_message(staff, world.council, channel="letter", title="A2区丽发新城搅拌站噪音扰民",
                                body=BODY)
    repeat = op.register_message(staff, world.council, channel="letter", title="再次投诉丽发新城附近搅拌站",
                                 body="距离上次投诉已经一个月了，" + BODY[:45] + "还是没有解决，请尽快处理。")
    elsewhere = op.register_message(staff, world.council, channel="letter", title="A5区魅力之城搅拌站噪音扰民",
                                    body=BODY.replace("A2区丽发新城", "A5区魅力之城"))
    op.register_message(staff, world.council, channel="letter", title="A2区某中学违规收取补课费",
                        body="学校利用暑假组织学生补课，每人收取补课费1200元，家长反映强烈，请教育局调查处理。")
    hits = {h["id"]: h for h in service.similar_cases(first)}
    assert hits[repeat.pk]["duplicate"] == "same_matter"
    assert hits[repeat.pk]["duplicate_label"] == "疑似同一事项"
    # Nearly the same words, but about another district: similar, not the same matter.
    assert hits[elsewhere.pk]["score"] > hits[repeat.pk]["score"]
    assert hits[elsewhere.pk]["duplicate"] == ""
