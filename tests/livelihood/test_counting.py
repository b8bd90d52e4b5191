"""The counting rules of issue 7 §4 (选举法 第四十四、四十五条) and the satisfaction rule of §8.

Every expected figure below is worked out by hand from the rule, in the comments, not taken from the code.
Y = 赞成, N = 反对, A = 弃权, _ = empty (counts as 弃权).
"""

from __future__ import annotations

import pytest

from lvzhi.livelihood.counting import (
    CountingError,
    Result,
    count_satisfaction,
    count_votes,
    passes,
)

Y, N, A, _ = "赞成", "反对", "弃权", None
E, NE, T = Result.ELECTED, Result.NOT_ELECTED, Result.TIE


def table(result):  # (code, yes, no, abstain, result) per candidate
    return [(c.code, c.yes, c.no, c.abstain, c.result) for c in result.candidates]


def test_normal_vote_two_places_with_an_absent_deputy():
    # 7 deputies, 6 present, 2 places. Every ballot has at most 2 Y: all 6 valid.
    ballots = [
        [Y, Y, N, A, _],
        [Y, N, Y, _, _],
        [Y, Y, _, _, N],
        [N, Y, Y, _, _],
        [Y, _, N, Y, _],
        [_, Y, _, _, Y],
    ]
    r = count_votes(["01", "02", "03", "04", "05"], ballots, places=2, electorate=7)
    # Y per column: 01 = b1 b2 b3 b5 = 4; 02 = b1 b3 b4 b6 = 4; 03 = b2 b4 = 2; 04 = b5 = 1; 05 = b6 = 1.
    # N per column: 01 = b4; 02 = b2; 03 = b1 b5; 04 none; 05 = b3. Abstain = 6 - Y - N.
    # More than half of 7 is 4 or more: 01 and 02 pass, both fit in the 2 places (equal votes that fit are
    # not a tie).
    assert (r.void, r.ballots, r.valid, r.invalid, r.unfilled) == (False, 6, 6, 0, 0)
    assert table(r) == [("01", 4, 1, 1, E), ("02", 4, 1, 1, E), ("03", 2, 2, 2, NE), ("04", 1, 0, 5, NE),
                        ("05", 1, 1, 4, NE)]


def test_tie_across_the_last_place_leaves_that_place_unfilled():
    # 5 deputies, 2 places. Y: 01 = b1-b4 = 4; 02 = b1 b2 b5 = 3; 03 = b3 b4 b5 = 3; 04 = 0.
    ballots = [[Y, Y, _, N], [Y, Y, _, _], [Y, _, Y, _], [Y, _, Y, N], [_, Y, Y, _]]
    r = count_votes(["01", "02", "03", "04"], ballots, places=2, electorate=5)
    # More than half of 5 is 3 or more: 01, 02, 03 pass. Ranked 4, 3, 3: the 2nd place is contested by 02
    # and 03 at 3 → both "tie"; 01 elected; 1 place unfilled (to be voted again).
    assert (r.void, r.ballots, r.valid, r.invalid, r.unfilled) == (False, 5, 5, 0, 1)
    assert table(r) == [("01", 4, 0, 1, E), ("02", 3, 0, 2, T), ("03", 3, 0, 2, T), ("04", 0, 2, 3, NE)]
    assert r.elected == ["01"] and r.tied == ["02", "03"]


def test_more_pass_than_places_the_most_yes_win():
    # 9 deputies, 3 places, 4 candidates; a ballot may carry 3 Y. Each line says which candidates lack Y.
    ballots = [
        [N, Y, Y, Y],  # no Y for 01
        [Y, _, Y, Y],  # 02
        [Y, _, Y, Y],  # 02
        [Y, Y, _, Y],  # 03
        [Y, Y, _, Y],  # 03
        [Y, Y, Y, _],  # 04
        [Y, Y, Y, _],  # 04
        [Y, Y, Y, N],  # 04
        [Y, Y, N, N],  # 03 and 04 (2 Y)
    ]
    r = count_votes(["01", "02", "03", "04"], ballots, places=3, electorate=9)
    # Y = 9 minus the ballots lacking it: 01 = 8, 02 = 7, 03 = 6, 04 = 5. More than half of 9 is 5 or more:
    # all four pass, but only 3 places: the three with most Y (01, 02, 03) are elected, 04 is not.
    # N: 01 = b1; 03 = b9; 04 = b8 b9. Abstain = 9 - Y - N.
    assert (r.valid, r.invalid, r.unfilled) == (9, 0, 0)
    assert table(r) == [("01", 8, 1, 0, E), ("02", 7, 0, 2, E), ("03", 6, 1, 2, E), ("04", 5, 2, 2, NE)]


def test_fewer_pass_than_places_and_electorate_majority_not_present_majority():
    # 10 deputies, only 6 present, 3 places.
    ballots = [[Y, Y, Y, _]] * 5 + [[Y, N, Y, Y]]
    r = count_votes(["01", "02", "03", "04"], ballots, places=3, electorate=10)
    # 01: 6 Y; 02: 5 Y 1 N; 03: 6 Y; 04: 1 Y 5 abstain. More than half of ALL 10 deputies is 6 or more:
    # 02's 5 of 6 present is a majority of those present but not of the electorate → not elected.
    # 01 and 03 elected; 3 places − 2 = 1 unfilled.
    assert (r.valid, r.invalid, r.unfilled) == (6, 0, 1)
    assert table(r) == [("01", 6, 0, 0, E), ("02", 5, 1, 0, NE), ("03", 6, 0, 0, E), ("04", 1, 0, 5, NE)]


def test_half_is_not_more_than_half():
    assert not passes(50, 100)
    assert passes(51, 100)
    assert not passes(2, 5) and passes(3, 5)


def test_invalid_ballots_are_returned_but_not_counted():
    # 5 deputies, 2 places, 5 ballots.
    ballots = [
        [Y, Y, Y, _],            # 3 Y > 2 places → invalid
        [Y, "√", _, _],          # unknown mark → invalid
        [Y, Y, _, _],            # exactly 2 Y = places → valid
        ["  赞成 ", "\u3000反对", "", A],  # whitespace around marks is ignored → valid: Y N A A
        [1, _, _, _],            # a number is not a mark → invalid
    ]
    r = count_votes(["01", "02", "03", "04"], ballots, places=2, electorate=5)
    # Valid: b3, b4. 01: Y Y; 02: Y N; 03: A A; 04: A A. Nobody reaches 3 Y (more than half of 5).
    assert (r.void, r.ballots, r.valid, r.invalid, r.unfilled) == (False, 5, 2, 3, 2)
    assert table(r) == [("01", 2, 0, 0, NE), ("02", 1, 1, 0, NE), ("03", 0, 0, 2, NE), ("04", 0, 0, 2, NE)]


def test_more_ballots_than_issued_is_void():
    ballots = [[Y, _]] * 4
    r = count_votes(["01", "02"], ballots, places=1, electorate=10, issued=3)
    assert r.void and r.as_json() == {"void": True, "ballots": 4}
    # As many as issued is fine: 4 of 4.
    assert not count_votes(["01", "02"], ballots, places=1, electorate=10, issued=4).void
    # Issued unknown: at most one per deputy → 4 ballots from 3 deputies is void.
    assert count_votes(["01", "02"], ballots, places=1, electorate=3).void


def test_re_vote_among_the_tied_is_a_new_vote_on_their_list():
    # After the tie above (02, 03 for 1 place), the re-vote has places=1; 02 gets 3 of 5, 03 gets 2.
    r = count_votes(["02", "03"], [[Y, _], [Y, N], [Y, _], [_, Y], [N, Y]], places=1, electorate=5)
    assert [c.result for c in r.candidates] == [E, NE] and r.unfilled == 0


def test_json_shape():
    r = count_votes(["01", "02"], [[Y, N], [Y, _]], places=1, electorate=3, issued=2)
    assert r.as_json() == {"void": False, "ballots": 2, "valid": 2, "invalid": 0, "unfilled": 0, "candidates": [
        {"code": "01", "yes": 2, "no": 0, "abstain": 0, "result": "elected"},
        {"code": "02", "yes": 0, "no": 1, "abstain": 1, "result": "not_elected"}]}


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"places": 0, "electorate": 5}, "应选名额"),
    ({"places": 1, "electorate": 0}, "全体代表人数"),
    ({"places": 1, "electorate": 5, "issued": 6}, "发出选票数"),
    ({"places": 3, "electorate": 5}, "多于候选项目数"),
])
def test_settings_that_cannot_be_counted(kwargs, words):
    with pytest.raises(CountingError, match=words):
        count_votes(["01", "02"], [[Y, _]], **kwargs)


def test_duplicate_codes_and_short_ballots_are_errors():
    with pytest.raises(CountingError, match="重复"):
        count_votes(["01", "01"], [[Y, _]], places=1, electorate=3)
    with pytest.raises(CountingError, match="第 1 张"):
        count_votes(["01", "02"], [[Y]], places=1, electorate=3)


def test_satisfaction_rule():
    # 6 of 10 满意: more than half → 满意.
    assert count_satisfaction(["满意"] * 6 + ["基本满意"] * 4).result == "满意"
    # 5 满意 of 10 is not more than half; 5 + 3 = 8 > 5 → 基本满意.
    assert count_satisfaction(["满意"] * 5 + ["基本满意"] * 3 + ["不满意"] * 2).result == "基本满意"
    # 2 + 3 = 5 of 10 is not more than half → 不满意.
    assert count_satisfaction(["满意"] * 2 + ["基本满意"] * 3 + ["不满意"] * 5).result == "不满意"
    # Invalid forms (empty, other marks) are left out: 5 满意 of 9 valid → 10 > 9 → 满意.
    s = count_satisfaction(["满意"] * 5 + [" 不满意"] * 4 + ["√", None, ""])
    assert (s.forms, s.valid, s.satisfied, s.dissatisfied, s.result) == (12, 9, 5, 4, "满意")
    assert count_satisfaction([None]).result is None
