"""The same-matter score of the duplicate detector: coded places (the rule of bench/data/duplicates_labelled.tsv:
the same complaint about another place is another matter), the title cosine, and the pair finder agreeing with
the pair scores on a real export."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lvzhi.smart.duplicates import read_export
from lvzhi.smart.similar import (
    DUPLICATE_THRESHOLD,
    SimilarityIndex,
    combine_parts,
    find_same_matter_pairs,
    place_codes,
    places_compatible,
    same_matter_parts,
    same_matter_score,
)

TIPDM = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "tipdm2020c"

TEMPLATE = ("小区楼下有几家餐馆，油烟严重影响我们居民的生活，衣服晾晒外面有油烟味，窗户长期不能打开，"
            "晚上营业到凌晨3点左右，炒菜的锅子噪声大，影响居民正常休息。请相关的部门领导为我们小区解决这个问题。")


def test_place_codes_and_compatibility_by_the_rule() -> None:
    assert place_codes("A3区金晖优步花园欺骗消费者") == {("A", "3")}
    assert place_codes("Ｋ１１县摩托车驾驶证") == {("K", "11")}  # full width folded
    # Another district of the same city, another city, another county: other places.
    assert not places_compatible("A2区南湖路森宇家园餐馆油烟扰民", "A5区劳动东路魅力之城小区底层餐馆油烟扰民")
    assert not places_compatible("希望A市重视滴滴出行的问题", "希望B市重视滴滴出行的问题")
    assert not places_compatible("咨询K11县摩托车驾驶证注销的问题", "咨询M市摩托车驾驶证注销的问题")
    # A city and one of its districts, or a title naming no place: possibly the same place.
    assert places_compatible("A市才子小区低层居民长期无水可用", "A1区才子佳郡小区无水可用")
    assert places_compatible("丽发新城小区旁的搅拌站严重影响生活", "A2区丽发新城附近修建搅拌厂")


def test_same_matter_score() -> None:
    idf = np.ones(1 << 22, dtype=np.float32)
    a = "A2区森宇家园餐馆油烟扰民\n" + TEMPLATE
    # The same text up to punctuation, width and spacing: 1.0.
    assert same_matter_score(a, a.replace("，", ", ").replace("3", "３"), idf) == 1.0
    # The very same complaint posted for another district: 0.0 whatever the body.
    assert same_matter_score(a, "A5区魅力之城餐馆油烟扰民\n" + TEMPLATE, idf) == 0.0
    # A repeat complaint about the same estate scores above an unrelated message of the same district.
    repeat = "再次反映A2区森宇家园油烟问题\n" + TEMPLATE[:40] + "到现在还没有解决。"
    other = "A2区某中学违规收取补课费\n学校利用暑假组织学生补课，每人收取补课费1200元，家长反映强烈。"
    assert same_matter_score(a, repeat, idf) > DUPLICATE_THRESHOLD > same_matter_score(a, other, idf)
    # With the index's IDF (how the pages call it) the order is the same.
    index = SimilarityIndex().fit_idf([a, repeat, other])
    assert index.same_matter(a, repeat) > index.same_matter(a, other)


def test_pair_finder_agrees_with_pair_scores_on_a_real_export() -> None:
    docs = read_export(TIPDM / "messages_with_replies_附件4.xlsx").texts()
    found = find_same_matter_pairs(docs)
    assert found and all(DUPLICATE_THRESHOLD - 1e-6 <= s <= 1.0 for *_, s in found)
    pairs = [(a, b) for a, b, _ in found[:200]]
    scores = combine_parts(*same_matter_parts(docs, pairs))
    assert np.allclose(scores, [s for *_, s in found[:200]], atol=1e-5)
    # No pair of titles naming different places is reported.
    title = {i: t.split("\n", 1)[0] for i, t in docs}
    assert all(places_compatible(title[a], title[b]) for a, b, _ in found)
