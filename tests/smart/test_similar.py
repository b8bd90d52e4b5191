from __future__ import annotations

import pytest

from lvzhi.smart.similar import Match, SimilarityIndex, find_duplicate_pairs, matching_form


def test_matching_form() -> None:
    assert matching_form("Ａ市，噪音 扰民！😀") == "a市噪音扰民"
    assert matching_form("臺灣") == "台湾"


@pytest.fixture(scope="module")
def likes_index(likes_messages):  # type: ignore[no-untyped-def]
    messages, _ = likes_messages
    index = SimilarityIndex()
    index.add_many((m.external_id, f"{m.title}\n{m.body}") for m in messages)
    return index


def test_known_duplicate_from_likes_file_is_top1(likes_messages, likes_index) -> None:  # type: ignore[no-untyped-def]
    messages, report = likes_messages
    by_id = {m.external_id: m for m in messages}
    group = report.duplicate_groups[0]
    a, b = group[0], group[1]
    msg = by_id[a]
    hits = likes_index.query(f"{msg.title}\n{msg.body}", k=5, exclude=[a])
    assert hits[0].id in group[1:]
    assert hits[0].score == 1.0 and hits[0].exact
    assert b in likes_index.exact_duplicates(msg.title + msg.body)
    # a near duplicate: the body with a few characters changed and the title reworded
    changed = msg.body[:10] + "某某" + msg.body[12:-5]
    near = likes_index.query("关于" + msg.title + "的反映\n" + changed, k=3)
    assert near[0].id in group
    assert 0.7 < near[0].score <= 1.0


def test_query_scores_ordered_and_bounded(likes_index) -> None:  # type: ignore[no-untyped-def]
    hits = likes_index.query("小区旁边的搅拌站噪音和粉尘污染严重", k=10)
    assert len(hits) == 10
    assert all(isinstance(h, Match) for h in hits)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)
    assert likes_index.query("", k=3) == []
    assert likes_index.query("😀😀", k=3) == []
    with pytest.raises(ValueError):
        likes_index.query("x", k=0)


def test_incremental_add_and_duplicate_ids() -> None:
    index = SimilarityIndex(tail_limit=2)
    index.fit_idf(["小区噪音扰民", "公交线路调整", "学校乱收费", "医院挂号难"])
    index.add("1", "小区噪音扰民，晚上睡不着")
    index.add("2", "公交线路调整后出行不便")
    index.add("3", "学校乱收费问题")
    index.add("4", "小区噪音扰民,晚上睡不着!")  # same matching form as 1
    assert len(index) == 4 and "3" in index
    hits = index.query("小区噪音扰民晚上睡不着", k=2)
    assert {h.id for h in hits} == {"1", "4"} and all(h.exact for h in hits)
    with pytest.raises(ValueError, match="重复"):
        index.add("2", "别的")
    index.add("5", "臺灣" * 50_000)  # 100,000 characters
    assert index.query("臺灣台湾", k=1)[0].id == "5"


def test_find_duplicate_pairs(likes_messages) -> None:  # type: ignore[no-untyped-def]
    messages, report = likes_messages
    docs = [(m.external_id, f"{m.title}\n{m.body}") for m in messages]
    pairs = find_duplicate_pairs(docs, threshold=0.8)
    found = {frozenset((a, b)) for a, b, _ in pairs}
    for group in report.duplicate_groups:
        assert frozenset(group[:2]) in found
    assert all(0.8 - 1e-6 <= s <= 1.0 for _, _, s in pairs)
    assert [s for *_, s in pairs] == sorted((s for *_, s in pairs), reverse=True)
    with pytest.raises(ValueError, match="阈值"):
        find_duplicate_pairs(docs[:3], threshold=1.5)
    assert find_duplicate_pairs([("a", "x")]) == []
