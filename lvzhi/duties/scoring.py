"""Scores, grades, the minimum-duty check and rankings, computed from the acts by a rule set (WORKFLOWS §7).

For each member (acts in date order):

1. each rule item takes the acts of its kind whose attributes match its conditions; an act earns
   ``points`` (× ``attrs[per]`` when the item counts by an attribute, e.g. half-days), shared by the item's
   split — full; first proposer only; first proposer full and co-signers ``co_share``; or first proposer
   half and the co-signers the other half equally (a case without co-signers earns the first proposer
   the full points); the first ``skip_first`` matching acts earn nothing; the item's running total is held
   to its ``cap`` (in absolute value: a deduction stops at it too);
2. a group's total is held to the group's cap (from above; its deductions stop at zero);
3. the score is the base points plus every group and ungrouped item, held between 0 and the rule set's
   maximum; the grade is the band containing it; a minimum duty is met with at least ``min_count`` acts
   matching one of its alternatives.

Every point is explained by a :class:`Line` naming the act, and each cap by the amount it removed.
Nothing is stored: a rule change re-scores from the records at the next call.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from lvzhi.duties import acts as acts_registry
from lvzhi.duties.acts import Act
from lvzhi.duties.choices import Split
from lvzhi.duties.models import RuleSet
from lvzhi.duties.rules import DutySpec, ItemSpec, RuleSetSpec, spec_of
from lvzhi.members.models import Council, Member

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(slots=True)
class Line:
    """One act's points under one item: ``raw`` before the item's cap, ``points`` counted, and a note
    (shares, skipped, capped)."""

    act: Act
    item: str
    raw: Decimal
    points: Decimal
    note: str = ""


@dataclass
class ItemResult:
    label: str
    cap: Decimal | None
    lines: list[Line] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((ln.points for ln in self.lines), ZERO)


@dataclass
class GroupResult:
    name: str
    cap: Decimal | None
    items: list[ItemResult] = field(default_factory=list)
    subtotal: Decimal = ZERO
    total: Decimal = ZERO


@dataclass
class DutyResult:
    label: str
    count: int
    need: int

    @property
    def met(self) -> bool:
        return self.count >= self.need


@dataclass
class MemberScore:
    """A member's score for the period, with everything that makes it up."""

    member_id: int
    name: str
    base: Decimal
    groups: list[GroupResult]
    score: Decimal
    grade: str
    duties: list[DutyResult]
    acts: list[Act]
    rank: int = 0
    sector: str = ""

    @property
    def minimum_met(self) -> bool:
        return all(d.met for d in self.duties)

    def item_points(self) -> dict[str, Decimal]:
        """Points per item label (after item caps; group caps shown on the groups)."""
        out: dict[str, Decimal] = {}
        for g in self.groups:
            for it in g.items:
                out[it.label] = out.get(it.label, ZERO) + it.total
        return out


@dataclass
class CouncilScores:
    council: Council
    rule_set: RuleSetSpec
    start: date
    end: date
    members: list[MemberScore]


def matches(conditions: dict[str, Any], attrs: Any) -> bool:
    """Whether ``attrs`` satisfy every condition (a value equals, or is one of a list of values)."""
    for key, wanted in conditions.items():
        have = attrs.get(key)
        if isinstance(wanted, list):
            if have not in wanted:
                return False
        elif have != wanted:
            return False
    return True


def _share(item: ItemSpec, act: Act, base: Decimal) -> tuple[Decimal, str]:
    role = act.attrs.get("role")
    if role is None or item.split == Split.FULL:
        return base, ""
    if item.split == Split.FIRST_ONLY:
        return (base, "") if role != "co" else (ZERO, "联名人不计分")
    if item.split == Split.CO_SHARE:
        return (base, "") if role != "co" else (base * item.co_share, f"联名人按 {item.co_share.normalize():f} 计")
    n = int(act.attrs.get("cosigners") or 0)
    if n == 0:
        return base, ""
    if role == "co":
        return base / 2 / n, f"联名提案：其余 {n} 位联名人均摊一半"
    return base / 2, "联名提案：第一提案人折半"


def _item_result(item: ItemSpec, acts: list[Act], memo: dict[tuple[int, int], bool]) -> ItemResult:
    """The item's lines over ``acts`` (of its kind, in date order). ``memo`` remembers the match of an
    attribute mapping shared by many acts (providers share one per distinct outcome), keyed by identity:
    the mappings live as long as the acts of the call."""
    result = ItemResult(item.label, item.cap)
    seen = 0
    running = ZERO
    ident = id(item)
    for act in acts:
        token = (ident, id(act.attrs))
        hit = memo.get(token)
        if hit is None:
            hit = memo[token] = matches(item.conditions, act.attrs)
        if not hit:
            continue
        seen += 1
        if item.per:
            factor = int(act.attrs.get(item.per) or 0)
            if factor == 0:
                continue
            base = item.points * factor
        else:
            base = item.points
        raw, note = _share(item, act, base)
        if seen <= item.skip_first:
            result.lines.append(Line(act, item.label, raw, ZERO, f"前 {item.skip_first} 件不计"))
            continue
        points = raw
        if item.cap is not None:
            room = item.cap - abs(running)
            if abs(raw) > room:
                points = (room if raw > 0 else -room) if room > 0 else ZERO
                note = "；".join(x for x in (note, f"已达上限 {item.cap.normalize():f} 分") if x)
        running += points
        result.lines.append(Line(act, item.label, raw, points, note))
    return result


def _duty_count(duty: DutySpec, acts: list[Act]) -> int:
    return sum(1 for a in acts if any(a.kind == alt.get("kind") and matches(dict(alt.get("conditions") or {}), a.attrs)
                                      for alt in duty.alternatives))


def score_member(spec: RuleSetSpec, member_id: int, name: str, acts: list[Act],
                 memo: dict[tuple[int, int], bool] | None = None) -> MemberScore:
    """Score one member's ``acts`` (sorted by date) under ``spec``. ``memo`` (optional) shares condition
    matches between members of one call; keep it only while the acts are alive."""
    memo = {} if memo is None else memo
    groups: dict[str, GroupResult] = {g.name: GroupResult(g.name, g.cap) for g in spec.groups}
    loose = GroupResult("", None)
    by_kind: dict[str, list[Act]] = defaultdict(list)
    for a in acts:
        by_kind[a.kind].append(a)
    for item in spec.items:
        result = _item_result(item, by_kind.get(item.act_kind, []), memo)
        (groups.get(item.group) or loose).items.append(result)
    total = spec.base_points
    ordered = [*groups.values(), *([loose] if loose.items else [])]
    for g in ordered:
        g.subtotal = sum((it.total for it in g.items), ZERO)
        g.total = g.subtotal
        if g.cap is not None:
            g.total = max(ZERO, min(g.subtotal, g.cap))
        total += g.total
    total = max(total, ZERO)
    if spec.max_total is not None:
        total = min(total, spec.max_total)
    total = total.quantize(CENT)
    grade = next((b.name for b in spec.grades if b.contains(total)), "")
    duties = [DutyResult(d.label, _duty_count(d, acts), d.min_count) for d in spec.duties]
    return MemberScore(member_id, name, spec.base_points, ordered, total, grade, duties, acts)


def active_rule_set(council: Council) -> RuleSet | None:
    return RuleSet.objects.filter(council=council, active=True).order_by("id").first()


def members_for(council: Council, start: date, end: date) -> list[Member]:
    """Active members of ``council`` whose term overlaps the period."""
    return list(Member.objects.filter(council=council, active=True, term__start_date__lte=end)
                .exclude(term__end_date__lt=start).select_related("sector").order_by("name", "id"))


def score_council(council: Council, start: date, end: date, *, spec: RuleSetSpec | None = None,
                  member_ids: set[int] | None = None) -> CouncilScores:
    """Scores of ``council``'s members for ``start``–``end`` under ``spec`` (default: the council's active
    rule set), ranked by score (equal scores share a rank). Raises LookupError when the council has no
    active rule set."""
    # A year of a council is ~100,000 small acyclic objects (acts, lines): the cyclic garbage collector's
    # repeated scans while they are made cost about as much as the work itself (bench/bench_duty_scores.py),
    # so it pauses for this call and resumes after; nothing here makes reference cycles.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _score_council(council, start, end, spec, member_ids)
    finally:
        if paused:
            gc.enable()


def _score_council(council: Council, start: date, end: date, spec: RuleSetSpec | None,
                   member_ids: set[int] | None) -> CouncilScores:
    if spec is None:
        rule_set = active_rule_set(council)
        if rule_set is None:
            raise LookupError(f"{council.name} 尚未启用考评规则。")
        spec = spec_of(rule_set)
    members = members_for(council, start, end)
    if member_ids is not None:
        members = [m for m in members if m.pk in member_ids]
    wanted = {m.pk for m in members}
    by_member: dict[int, list[Act]] = defaultdict(list)
    for act in acts_registry.acts_of(council, start, end, member_ids if member_ids is not None else None):
        if act.member_id in wanted:
            by_member[act.member_id].append(act)
    scores = []
    memo: dict[tuple[int, int], bool] = {}
    for m in members:
        s = score_member(spec, m.pk, m.name, by_member.get(m.pk, []), memo)
        s.sector = m.sector.name if m.sector else ""
        scores.append(s)
    scores.sort(key=lambda s: (-s.score, s.name, s.member_id))
    rank = 0
    previous: Decimal | None = None
    for i, s in enumerate(scores, start=1):
        if s.score != previous:
            rank, previous = i, s.score
        s.rank = rank
    return CouncilScores(council, spec, start, end, scores)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def num(value: Decimal | None) -> str | None:
    """A decimal as a short string (``"7.5"``, ``"50"``); ``None`` stays ``None``."""
    if value is None:
        return None
    return f"{value:.0f}" if value == value.to_integral() else f"{value.normalize():f}"


def member_json(s: MemberScore, *, lines: bool = False) -> dict[str, Any]:
    """A member's score as JSON-able data: id, name, rank, score, grade, minimum duties, points per item and
    group; with ``lines`` every act's points (the explanation)."""
    out: dict[str, Any] = {
        "member_id": s.member_id, "name": s.name, "rank": s.rank, "score": f"{s.score:.2f}", "grade": s.grade,
        "minimum_duties_met": s.minimum_met,
        "minimum_duties": [{"label": d.label, "count": d.count, "need": d.need, "met": d.met} for d in s.duties],
        "items": {k: num(v) for k, v in s.item_points().items()},
        "groups": {g.name: num(g.total) for g in s.groups if g.name},
    }
    if lines:
        out["lines"] = [{"group": g.name, "item": it.label, "act": ln.act.key, "kind": ln.act.kind,
                         "date": ln.act.day.isoformat(), "title": ln.act.title, "url": ln.act.url,
                         "raw": num(ln.raw), "points": num(ln.points), "note": ln.note}
                        for g in s.groups for it in g.items for ln in it.lines]
        out["group_caps"] = [{"group": g.name, "subtotal": num(g.subtotal), "cap": num(g.cap), "total": num(g.total)}
                             for g in s.groups if g.name]
    return out
