from __future__ import annotations

from datetime import datetime

import pytest

from lvzhi.smart.topics import TopicDoc, extract_places, hot_topics, period_key


def test_extract_places() -> None:
    places = extract_places("A市A1区景蓉华苑小区位于书院路，K3县乡村医生")
    assert "A市" in places and "A1区" in places and "K3县" in places
    assert any(p.endswith("小区") for p in places)
    assert "书院路" in places


def test_period_key() -> None:
    assert period_key(datetime(2019, 8, 14), "month") == "2019-08"
    assert period_key(datetime(2019, 12, 30), "week") == "2020-W01"
    with pytest.raises(ValueError, match="不支持的周期"):
        period_key(datetime(2019, 1, 1), "year")


def test_hot_topics_on_likes_file(likes_messages) -> None:  # type: ignore[no-untyped-def]
    messages, _ = likes_messages
    docs = [TopicDoc(m.external_id, m.title, m.body, m.submitted_at, m.likes, m.user) for m in messages]
    result = hot_topics(docs, top_n=10)
    assert len(result.topics) == 10
    assert result.latest_period == "2020-01" and result.previous_period == "2019-12"
    for t in result.topics:
        assert t.terms and t.label
        assert t.count == len(t.member_ids) >= 3
        assert sum(t.series.values()) == t.count
        assert t.likes is not None and t.likes >= 0
        assert t.places
    keys = list(result.topics[0].series)
    assert keys == sorted(keys)
    # the best-known 2019 event of this data set (a concrete plant near a residential estate) is found
    assert any("搅拌站" in t.terms or "搅拌" in t.terms for t in result.topics[:5])


def test_growth_warning() -> None:
    docs = [TopicDoc(f"a{i}", "小区旁边垃圾站臭气熏天", "垃圾站臭气熏天影响居民", datetime(2020, 1, 1 + i))
            for i in range(6)]
    docs += [TopicDoc("a9", "小区旁边垃圾站臭气熏天", "垃圾站臭味", datetime(2019, 12, 5))]
    docs += [TopicDoc(f"b{i}", "公交线路调整出行不便", "公交线路调整后出行不便", datetime(2019, 12, 1 + i))
             for i in range(4)]
    docs += [TopicDoc("c", "学校乱收费", "学校乱收费", datetime(2020, 1, 3))]
    result = hot_topics(docs, min_size=2)
    by_label = {t.member_ids[0][0]: t for t in result.topics}
    assert by_label["a"].latest_count == 6 and by_label["a"].previous_count == 1
    assert by_label["a"].growth == 6.0 and by_label["a"].warning
    assert by_label["b"].latest_count == 0 and not by_label["b"].warning
    assert "c" not in {m for t in result.topics for m in t.member_ids}


def test_empty_input_raises_chinese_error() -> None:
    with pytest.raises(ValueError, match="输入为空"):
        hot_topics([])


def test_odd_input_does_not_crash() -> None:
    docs = [TopicDoc("1", "😀", ""), TopicDoc("2", "臺灣" * 50_000, ""), TopicDoc("3", "", "")]
    result = hot_topics(docs, min_size=1)
    assert result.n_docs == 3
