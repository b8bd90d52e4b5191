"""Scoring rules as data: the plain specification of a rule set (what the database rows, the Excel import
and the shipped examples all turn into), and its validation.

A spec is built with :func:`spec_of` (from the database) or :func:`spec_from_dict` (from JSON-like data:
the examples in :mod:`lvzhi.duties.examples`, the Excel importer). :func:`validate` lists every problem in
Chinese: overlapping or gapped grade bands, a cap below one item's points, unknown act kinds or
attributes, a co-signer share outside 0–1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from lvzhi.duties import acts
from lvzhi.duties.choices import Split
from lvzhi.duties.models import RuleSet


@dataclass(frozen=True)
class ItemSpec:
    label: str
    act_kind: str
    points: Decimal
    conditions: dict[str, Any] = field(default_factory=dict)
    split: str = Split.FULL
    co_share: Decimal = Decimal(1)
    per: str = ""
    skip_first: int = 0
    cap: Decimal | None = None
    group: str = ""


@dataclass(frozen=True)
class GroupSpec:
    name: str
    cap: Decimal | None = None


@dataclass(frozen=True)
class BandSpec:
    name: str
    min_score: Decimal | None
    max_score: Decimal | None

    def contains(self, score: Decimal) -> bool:
        return (self.min_score is None or score >= self.min_score) and (self.max_score is None or score < self.max_score)

    def range_label(self) -> str:
        lo = "" if self.min_score is None else f"{_num(self.min_score)} 分及以上"
        hi = "" if self.max_score is None else f"低于 {_num(self.max_score)} 分"
        return "，".join(x for x in (lo, hi) if x) or "任意分数"


@dataclass(frozen=True)
class DutySpec:
    label: str
    alternatives: list[dict[str, Any]]
    min_count: int = 1


@dataclass(frozen=True)
class RuleSetSpec:
    name: str
    items: list[ItemSpec]
    groups: list[GroupSpec] = field(default_factory=list)
    grades: list[BandSpec] = field(default_factory=list)
    duties: list[DutySpec] = field(default_factory=list)
    base_points: Decimal = Decimal(0)
    max_total: Decimal | None = None
    source: str = ""


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def dec(value: Any, field_name: str, *, allow_none: bool = False) -> Decimal | None:
    """``value`` as a Decimal (``None``/empty allowed with ``allow_none``); a Chinese ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise ValueError(f"「{field_name}」不能为空。")
    try:
        out = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"「{field_name}」应为数字（现为「{value}」）。") from None
    if not out.is_finite():
        raise ValueError(f"「{field_name}」应为数字（现为「{value}」）。")
    return out


def spec_from_dict(data: dict[str, Any]) -> RuleSetSpec:
    """A spec from JSON-like ``data`` (keys as the dataclasses' fields; numbers may be strings). Raises
    ValueError with a Chinese message for a missing or non-numeric value."""
    items = []
    for i, it in enumerate(data.get("items", []), start=1):
        items.append(ItemSpec(
            label=str(it.get("label", "")).strip() or f"第 {i} 项", act_kind=str(it.get("act_kind", "")).strip(),
            points=dec(it.get("points"), f"第 {i} 项的分值") or Decimal(0),
            conditions=dict(it.get("conditions") or {}), split=str(it.get("split") or Split.FULL),
            co_share=dec(it.get("co_share", 1), f"第 {i} 项的联名人比例") or Decimal(0),
            per=str(it.get("per") or ""), skip_first=int(it.get("skip_first") or 0),
            cap=dec(it.get("cap"), f"第 {i} 项的上限", allow_none=True), group=str(it.get("group") or "")))
    return RuleSetSpec(
        name=str(data.get("name", "")).strip(), items=items,
        groups=[GroupSpec(str(g["name"]), dec(g.get("cap"), f"类别「{g['name']}」的上限", allow_none=True))
                for g in data.get("groups", [])],
        grades=[BandSpec(str(b["name"]), dec(b.get("min_score"), f"等次「{b['name']}」的最低分", allow_none=True),
                         dec(b.get("max_score"), f"等次「{b['name']}」的最高分", allow_none=True))
                for b in data.get("grades", [])],
        duties=[DutySpec(str(d["label"]), list(d.get("alternatives", [])), int(d.get("min_count", 1)))
                for d in data.get("duties", [])],
        base_points=dec(data.get("base_points", 0), "基础分") or Decimal(0),
        max_total=dec(data.get("max_total"), "满分", allow_none=True), source=str(data.get("source", "")))


def spec_of(rule_set: RuleSet) -> RuleSetSpec:
    """The spec of a stored rule set (4 queries)."""
    groups = list(rule_set.groups.all())
    names = {g.pk: g.name for g in groups}
    return RuleSetSpec(
        name=rule_set.name, source=rule_set.source, base_points=rule_set.base_points, max_total=rule_set.max_total,
        groups=[GroupSpec(g.name, g.cap) for g in groups],
        items=[ItemSpec(label=i.label, act_kind=i.act_kind, points=i.points, conditions=dict(i.conditions or {}),
                        split=i.split, co_share=i.co_share, per=i.per, skip_first=i.skip_first, cap=i.cap,
                        group=names.get(i.group_id, "") if i.group_id else "")
               for i in rule_set.items.all()],
        grades=[BandSpec(b.name, b.min_score, b.max_score) for b in rule_set.grades.all()],
        duties=[DutySpec(d.label, list(d.alternatives or []), d.min_count) for d in rule_set.minimum_duties.all()])


def spec_to_dict(spec: RuleSetSpec) -> dict[str, Any]:
    """JSON-able form of ``spec`` (numbers as strings)."""
    def n(v: Decimal | None) -> str | None:
        return None if v is None else _num(v)
    return {
        "name": spec.name, "source": spec.source, "base_points": n(spec.base_points), "max_total": n(spec.max_total),
        "groups": [{"name": g.name, "cap": n(g.cap)} for g in spec.groups],
        "items": [{"label": i.label, "act_kind": i.act_kind, "points": n(i.points), "conditions": i.conditions,
                   "split": i.split, "co_share": n(i.co_share), "per": i.per, "skip_first": i.skip_first,
                   "cap": n(i.cap), "group": i.group} for i in spec.items],
        "grades": [{"name": b.name, "min_score": n(b.min_score), "max_score": n(b.max_score)} for b in spec.grades],
        "duties": [{"label": d.label, "alternatives": d.alternatives, "min_count": d.min_count} for d in spec.duties],
    }


def _check_conditions(where: str, kind: str, conditions: dict[str, Any], known: dict[str, acts.ActKind],
                      errors: list[str]) -> None:
    if kind not in known:
        errors.append(f"{where}：未知的履职事项「{kind}」（可用：{'、'.join(sorted(known))}）。")
        return
    for attr in conditions:
        if attr not in known[kind].attrs:
            errors.append(f"{where}：履职事项「{known[kind].label}」没有属性「{attr}」"
                          f"（可用：{'、'.join(known[kind].attrs)}）。")


def validate(spec: RuleSetSpec) -> list[str]:
    """Every problem of ``spec`` in Chinese (empty when it is sound)."""
    errors: list[str] = []
    known = acts.kinds()
    if not spec.name:
        errors.append("请填写规则名称。")
    if spec.max_total is not None and spec.max_total < spec.base_points:
        errors.append(f"满分 {_num(spec.max_total)} 低于基础分 {_num(spec.base_points)}。")
    groups = {g.name: g for g in spec.groups}
    if len(groups) != len(spec.groups):
        errors.append("类别名称重复。")
    for g in spec.groups:
        if g.cap is not None and g.cap <= 0:
            errors.append(f"类别「{g.name}」的上限应大于 0。")
    for i, item in enumerate(spec.items, start=1):
        where = f"第 {i} 项「{item.label}」"
        _check_conditions(where, item.act_kind, item.conditions, known, errors)
        if item.split not in Split.values:
            errors.append(f"{where}：未知的联名计分方式「{item.split}」。")
        if not Decimal(0) <= item.co_share <= Decimal(1):
            errors.append(f"{where}：联名人比例应在 0 到 1 之间（现为 {_num(item.co_share)}）。")
        if item.per and item.act_kind in known and item.per not in known[item.act_kind].attrs:
            errors.append(f"{where}：按属性计量的属性「{item.per}」不存在。")
        if item.cap is not None and item.cap < abs(item.points):
            errors.append(f"{where}：上限 {_num(item.cap)} 分低于单项分值 {_num(abs(item.points))} 分。")
        if item.group:
            group = groups.get(item.group)
            if group is None:
                errors.append(f"{where}：类别「{item.group}」未定义。")
            elif group.cap is not None and item.points > 0 and group.cap < item.points:
                errors.append(f"{where}：类别「{group.name}」的上限 {_num(group.cap)} 分低于该项分值 "
                              f"{_num(item.points)} 分。")
    errors.extend(_band_errors(spec.grades))
    for d in spec.duties:
        if not d.alternatives:
            errors.append(f"基本履职要求「{d.label}」没有满足方式。")
        for alt in d.alternatives:
            _check_conditions(f"基本履职要求「{d.label}」", str(alt.get("kind", "")), dict(alt.get("conditions") or {}),
                              known, errors)
        if d.min_count < 1:
            errors.append(f"基本履职要求「{d.label}」的次数应至少为 1。")
    return errors


def _band_errors(bands: list[BandSpec]) -> list[str]:
    errors: list[str] = []
    inf = Decimal("Infinity")
    spans = []
    for b in bands:
        lo = -inf if b.min_score is None else b.min_score
        hi = inf if b.max_score is None else b.max_score
        if lo >= hi:
            errors.append(f"等次「{b.name}」的最低分不低于最高分。")
            continue
        spans.append((lo, hi, b))
    spans.sort(key=lambda s: s[0])
    for (_lo1, hi1, b1), (lo2, _hi2, b2) in pairwise(spans):
        if lo2 < hi1:
            errors.append(f"等次「{b1.name}」（{b1.range_label()}）与「{b2.name}」（{b2.range_label()}）的分数段重叠。")
        elif lo2 > hi1:
            errors.append(f"等次「{b1.name}」与「{b2.name}」之间有空档：{_num(hi1)} 至 {_num(lo2)} 分不属于任何等次。")
    if spans and (spans[0][0] != -inf or max(s[1] for s in spans) != inf):
        errors.append("等次须覆盖全部分数：最低一档不设最低分，最高一档不设最高分。")
    return errors
