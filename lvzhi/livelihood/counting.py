"""Counting the deputies' vote on livelihood projects (民生实事票决) and the year-end satisfaction forms.

Pure Python, no database: the app (``lvzhi.livelihood.actions``) and the staff command
``lvzhi count-votes`` call the same functions, so a paper count can be checked by anyone.

The rules (issue 7 §4, from 选举法 第四十四、四十五条 — the general rules of people's-congress ballots — and
WORKFLOWS.md §4):

- A ballot marks each candidate 赞成, 反对 or 弃权, or leaves it empty, which counts as 弃权. Surrounding
  whitespace (also the full-width space) is ignored.
- A ballot with more 赞成 than there are places, or with any other mark (``√``, ``同意``, a number …), is
  invalid (作废, 选举法 第四十四条第二款 "多于规定应选…人数的作废"). Invalid ballots count as ballots returned
  but none of their marks counts.
- If more ballots come back than were issued, the vote is void (表决无效, 选举法 第四十四条第一款). When the
  number issued is not known, at most one ballot per deputy can have been issued, so more ballots than
  deputies (the electorate) is void too.
- A candidate passes with 赞成 from MORE than half of ALL deputies — the electorate, not those present
  (选举法 第四十五条第二款 "获得全体代表过半数的选票时，始得当选").
- Passed candidates are ranked by 赞成; the top ``places`` are elected. Where candidates tie across the last
  place they are all marked ``tie`` for a re-vote (第四十五条第三款 "票数相等…再次投票") and the places they
  compete for stay unfilled; if fewer pass than there are places, the remaining places stay unfilled.

Satisfaction (满意度测评, issue 7 §8, WORKFLOWS.md §4 [V6]): 满意 if more than half of the valid forms are
满意; 基本满意 if 满意 + 基本满意 exceed half; otherwise 不满意.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

YES = "赞成"
NO = "反对"
ABSTAIN = "弃权"
MARKS = (YES, NO, ABSTAIN)


class Result(StrEnum):
    """A candidate's outcome. The values are those of the ``count-votes --json`` output."""

    ELECTED = "elected"
    NOT_ELECTED = "not_elected"
    TIE = "tie"


RESULT_LABELS = {Result.ELECTED: "当选", Result.NOT_ELECTED: "未当选", Result.TIE: "票数相等，需再次投票"}


class CountingError(ValueError):
    """The input cannot be counted at all (not a ballot that is merely invalid): bad places/electorate, a
    ballot of the wrong length, duplicate candidate codes. ``message`` is zh-Hans."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CandidateCount:
    """One candidate's tally: ``yes``/``no``/``abstain`` over the valid ballots only (an empty mark is an
    abstention), and the ``result``."""

    code: str
    yes: int
    no: int
    abstain: int
    result: Result


@dataclass(frozen=True)
class VoteCount:
    """The outcome of one vote.

    ``ballots`` is the number returned; when ``void`` (more returned than issued) nothing else is counted:
    ``valid``/``invalid``/``unfilled`` are 0 and ``candidates`` is empty. Otherwise ``valid + invalid ==
    ballots``, ``candidates`` are in the order of the ballot, and ``unfilled`` is the number of places
    left without an elected candidate (tied places included).
    """

    void: bool
    ballots: int
    valid: int
    invalid: int
    unfilled: int
    places: int
    electorate: int
    issued: int | None
    candidates: tuple[CandidateCount, ...]

    @property
    def elected(self) -> list[str]:
        """Codes of the elected candidates, in ballot order."""
        return [c.code for c in self.candidates if c.result == Result.ELECTED]

    @property
    def tied(self) -> list[str]:
        """Codes of the candidates tied across the last place (to be voted again), in ballot order."""
        return [c.code for c in self.candidates if c.result == Result.TIE]

    def as_json(self) -> dict[str, object]:
        """The JSON shape of issue 7 §5: ``{"void": true, "ballots": n}`` when void, else ``void``,
        ``ballots``, ``valid``, ``invalid``, ``unfilled`` and ``candidates`` (code, yes, no, abstain,
        result)."""
        if self.void:
            return {"void": True, "ballots": self.ballots}
        return {
            "void": False, "ballots": self.ballots, "valid": self.valid, "invalid": self.invalid,
            "unfilled": self.unfilled,
            "candidates": [{"code": c.code, "yes": c.yes, "no": c.no, "abstain": c.abstain,
                            "result": c.result.value} for c in self.candidates],
        }


Mark = str | int | float | None


def normalise_mark(mark: Mark) -> str | None:
    """The mark as one of ``赞成``/``反对``/``弃权``, or ``None`` when it is any other mark (which makes the
    ballot invalid). Empty (``None``, ``""``, only whitespace) is 弃权."""
    if mark is None:
        return ABSTAIN
    if not isinstance(mark, str):
        return None
    text = mark.strip()
    if not text:
        return ABSTAIN
    return text if text in MARKS else None


def ballot_is_valid(marks: Sequence[Mark], places: int) -> bool:
    """Whether a ballot counts: every mark is 赞成/反对/弃权/empty and there are at most ``places`` 赞成
    (exactly ``places`` is valid: 选举法 第四十四条 "等于或者少于…有效")."""
    normal = [normalise_mark(m) for m in marks]
    return None not in normal and normal.count(YES) <= places


def check_settings(places: int, electorate: int, issued: int | None, candidates: int) -> None:
    """Raise :class:`CountingError` unless ``places`` ≥ 1, ``places`` ≤ the number of candidates,
    ``electorate`` ≥ 1, and ``issued`` (when known) is between 0 and the electorate (one ballot per
    deputy)."""
    if places < 1:
        raise CountingError(f"应选名额（places）必须是正整数，现为 {places}。")
    if electorate < 1:
        raise CountingError(f"全体代表人数（electorate）必须是正整数，现为 {electorate}。")
    if issued is not None and not 0 <= issued <= electorate:
        raise CountingError(f"发出选票数（issued）应在 0 到全体代表人数 {electorate} 之间，现为 {issued}。")
    if candidates < 1:
        raise CountingError("没有候选项目。")
    if places > candidates:
        raise CountingError(f"应选名额 {places} 多于候选项目数 {candidates}。")


def count_votes(codes: Sequence[str], ballots: Sequence[Sequence[Mark]], *, places: int, electorate: int,
                issued: int | None = None) -> VoteCount:
    """Count ``ballots`` (each a sequence of marks, one per candidate in the order of ``codes``).

    ``places`` is the number to elect, ``electorate`` the number of all deputies (the majority is over
    them), ``issued`` the number of ballots issued (``None``: not known, bounded by the electorate).
    Raises :class:`CountingError` for settings that cannot be counted or a ballot whose length differs
    from ``codes``. The rules are in the module docstring.
    """
    codes = [str(c) for c in codes]
    if len(set(codes)) != len(codes):
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        raise CountingError(f"候选项目编号重复：{'、'.join(duplicates)}。")
    check_settings(places, electorate, issued, len(codes))
    for number, ballot in enumerate(ballots, start=1):
        if len(ballot) != len(codes):
            raise CountingError(f"第 {number} 张选票有 {len(ballot)} 项表决，候选项目却有 {len(codes)} 个。")
    limit = electorate if issued is None else issued
    if len(ballots) > limit:  # 选举法 第四十四条: more ballots back than issued → void
        return VoteCount(True, len(ballots), 0, 0, 0, places, electorate, issued, ())

    yes = [0] * len(codes)
    no = [0] * len(codes)
    abstain = [0] * len(codes)
    valid = 0
    for ballot in ballots:
        normal = [normalise_mark(m) for m in ballot]
        if None in normal or normal.count(YES) > places:
            continue
        valid += 1
        for i, mark in enumerate(normal):
            if mark == YES:
                yes[i] += 1
            elif mark == NO:
                no[i] += 1
            else:
                abstain[i] += 1

    results = rank(yes, places=places, electorate=electorate)
    elected = sum(1 for r in results if r == Result.ELECTED)
    candidates = tuple(CandidateCount(code, yes[i], no[i], abstain[i], results[i]) for i, code in enumerate(codes))
    return VoteCount(False, len(ballots), valid, len(ballots) - valid, places - elected, places, electorate,
                     issued, candidates)


def passes(yes: int, electorate: int) -> bool:
    """Whether ``yes`` 赞成 are more than half of all ``electorate`` deputies (strictly: 50 of 100 fails)."""
    return 2 * yes > electorate


def rank(yes: Sequence[int], *, places: int, electorate: int) -> list[Result]:
    """Each candidate's result from its 赞成 count, in the same order.

    Only candidates that pass (:func:`passes`) can be elected. If no more pass than there are places, all
    that pass are elected. Otherwise let ``v`` be the 赞成 of the candidate in the last place (the
    ``places``-th highest): those above ``v`` are elected; those with exactly ``v`` are elected too if they
    all fit, else they are all ``tie``; the rest are not elected.
    """
    passed = sorted((v for v in yes if passes(v, electorate)), reverse=True)
    if len(passed) <= places:
        return [Result.ELECTED if passes(v, electorate) else Result.NOT_ELECTED for v in yes]
    last = passed[places - 1]
    above = sum(1 for v in passed if v > last)
    at_last = sum(1 for v in passed if v == last)
    fits = above + at_last <= places
    results = []
    for v in yes:
        if not passes(v, electorate) or v < last:
            results.append(Result.NOT_ELECTED)
        elif v > last or fits:
            results.append(Result.ELECTED)
        else:
            results.append(Result.TIE)
    return results


SATISFIED = "满意"
FAIRLY_SATISFIED = "基本满意"
DISSATISFIED = "不满意"
RATINGS = (SATISFIED, FAIRLY_SATISFIED, DISSATISFIED)


@dataclass(frozen=True)
class SatisfactionCount:
    """The year-end evaluation of one project: forms returned, valid ones and the count per rating over the
    valid forms; ``result`` is 满意/基本满意/不满意, or ``None`` when no form is valid."""

    forms: int
    valid: int
    satisfied: int
    fairly_satisfied: int
    dissatisfied: int
    result: str | None


def count_satisfaction(forms: Sequence[Mark]) -> SatisfactionCount:
    """Count satisfaction forms, each marked 满意/基本满意/不满意 (whitespace ignored); an empty form or any
    other mark is invalid. Rule (issue 7 §8): 满意 if 满意 > half of the valid forms; else 基本满意 if
    满意 + 基本满意 > half; else 不满意 ("exceed half" is strict: 5 of 10 is not more than half)."""
    marks = [m.strip() if isinstance(m, str) else None for m in forms]
    satisfied = marks.count(SATISFIED)
    fairly = marks.count(FAIRLY_SATISFIED)
    dissatisfied = marks.count(DISSATISFIED)
    valid = satisfied + fairly + dissatisfied
    result: str | None
    if valid == 0:
        result = None
    elif 2 * satisfied > valid:
        result = SATISFIED
    elif 2 * (satisfied + fairly) > valid:
        result = FAIRLY_SATISFIED
    else:
        result = DISSATISFIED
    return SatisfactionCount(len(forms), valid, satisfied, fairly, dissatisfied, result)
