"""Reads for pages, the API and reports about public-opinion reports and citizens' messages (no writes).

Statistics are computed from the records for any date range; each figure states its unit (counts, ratios
in 0–1, durations in calendar days).
"""

from __future__ import annotations

import importlib
import math
import re
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.search import Hit, case_hits
from lvzhi.members.models import Council
from lvzhi.opinions.choices import (
    Channel,
    InstructionLevel,
    Rating,
    RecipientKind,
    ReplyStatus,
    SubmitterKind,
)
from lvzhi.opinions.models import Instruction, Message, Report, ReportDelivery
from lvzhi.workflow.engine import states_entered_by

# ---------------------------------------------------------------------------------------------- lists


def portal_council() -> Council | None:
    """The council whose public portal this site is: ``settings.LVZHI_PORTAL_COUNCIL`` (an id) when set,
    else the first council created; ``None`` before any council exists."""
    from django.conf import settings

    council_id = getattr(settings, "LVZHI_PORTAL_COUNCIL", None)
    qs = Council.objects.order_by("id")
    return qs.filter(pk=council_id).first() if council_id else qs.first()


def filter_reports(qs: QuerySet[Report], params: Mapping[str, Any]) -> QuerySet[Report]:
    """Apply list filters: ``q`` (title contains), ``state`` (state code), ``kind`` (submitter kind),
    ``issue`` (issue id). Blank or unknown values are ignored."""
    if params.get("q"):
        qs = qs.filter(title__icontains=str(params["q"]).strip())
    if params.get("state"):
        qs = qs.filter(state__code=str(params["state"]))
    if params.get("kind"):
        qs = qs.filter(submitter_kind=str(params["kind"]))
    issue = str(params.get("issue") or "").strip()
    if issue:
        qs = qs.filter(issue_id=int(issue) if issue.isdigit() else -1)
    return qs


def filter_messages(qs: QuerySet[Message], params: Mapping[str, Any]) -> QuerySet[Message]:
    """Apply list filters: ``q`` (title or body contains), ``state`` (state code), ``channel``, ``category``,
    ``unit`` (handling-unit id), ``overdue`` (``1``: units handling it (flag 承办单位可答复) and past its deadline)."""
    if params.get("q"):
        q = str(params["q"]).strip()
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    if params.get("state"):
        qs = qs.filter(state__code=str(params["state"]))
    if params.get("channel"):
        qs = qs.filter(channel=str(params["channel"]))
    if params.get("category"):
        qs = qs.filter(category=str(params["category"]))
    unit = str(params.get("unit") or "").strip()
    if unit:
        qs = qs.filter(unit_id=int(unit) if unit.isdigit() else -1)
    if str(params.get("overdue") or "") == "1":
        qs = qs.filter(state__units_may_reply=True, deadline__lt=timezone.localdate())
    return qs


# ---------------------------------------------------------------------------------------------- public display


def public_photos(messages: list[Message]) -> dict[int, list[dict[str, str]]]:
    """The photos the portal shows, per message id, in one query: ``{message id: [{"url", "name"}]}`` —
    only for published messages whose photos staff did not hide (``photos_hidden``)."""
    from django.contrib.contenttypes.models import ContentType

    from lvzhi.core.models import Attachment

    shown = [m.pk for m in messages if m.published and not m.photos_hidden]
    out: dict[int, list[dict[str, str]]] = {pk: [] for pk in shown}
    if not shown:
        return out
    for a in Attachment.objects.filter(target_type=ContentType.objects.get_for_model(Message), target_id__in=shown,
                                       content_type__startswith="image/").order_by("id"):
        out[a.target_id].append({"url": reverse("portal-message-photo", args=[a.target_id, a.pk]), "name": a.name})
    return out


def public_view(message: Message, photos: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """What the public portal may show of ``message``: title, body, place and reply with personal data
    masked (phone, ID and bank numbers, e-mail, QQ/WeChat ids, self-introduced names), the channel,
    category, dates, the replying unit, the rating with the citizen's comment (masked too) and ``photos``
    (``[{"url", "name"}]``, see :func:`public_photos`; looked up when not given). Never the contact, the
    submitter's name, the tracking code or the staff who handled it."""
    if photos is None:
        photos = public_photos([message]).get(message.pk, [])
    return {
        "id": message.pk,
        "title": mask(message.title),
        "body": mask(message.body),
        "place": mask(message.place),
        "category": message.category,
        "channel": message.get_channel_display(),
        "submitted_at": message.submitted_at,
        "reply_text": mask(message.reply_text, reply=True) if message.reply_status == ReplyStatus.SENT else "",
        "reply_unit": message.reply_unit.name if message.reply_unit is not None else message.reply_unit_name,
        "replied_at": message.replied_at,
        "rating": message.get_rating_display() if message.rating else "",
        "rating_comment": mask(message.rating_comment) if message.rating else "",
        "photos": photos,
        "state": message.state.name,
    }


def mask(text: str, *, reply: bool = False) -> str:
    """``text`` with personal data masked by :func:`lvzhi.smart.text.mask_personal_data`; a unit's ``reply``
    keeps its office's public phone numbers (after 联系电话, 服务热线 …) so the citizen can call back."""
    from lvzhi.smart.text import mask_personal_data

    return mask_personal_data(text or "", keep_public_phones=reply)


# ---------------------------------------------------------------------------------------------- smart hooks


def _smart_service() -> Any | None:
    """``lvzhi.smart.service`` when it exists, else ``None`` (the panels then stay empty)."""
    try:
        return importlib.import_module("lvzhi.smart.service")
    except ModuleNotFoundError as exc:
        if exc.name in ("lvzhi.smart.service", "lvzhi.smart"):
            return None
        raise


def _items(value: Any, kind: str = "") -> list[dict[str, Any]]:
    """Normalise what the smart service returns into ``[{"kind", "label", "score", "id", "url"}]``."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        if "label" in value or "title" in value:
            value = [value]
        else:
            out: list[dict[str, Any]] = []
            for key, sub in value.items():
                out.extend(_items(sub, str(key)))
            return out
    if isinstance(value, str):
        return [{"kind": kind, "label": value, "score": None, "id": None, "url": ""}]
    out = []
    for item in value:
        if isinstance(item, Mapping):
            out.append({"kind": str(item.get("kind", kind)), "label": str(item.get("label") or item.get("title")
                                                                          or item.get("name") or ""),
                        "score": item.get("score"), "id": item.get("id"), "url": str(item.get("url") or ""),
                        "model": str(item.get("model") or "")})
        elif isinstance(item, tuple | list) and item:
            score = item[1] if len(item) > 1 and isinstance(item[1], int | float) else None
            out.append({"kind": kind, "label": str(item[0]), "score": score, "id": None, "url": ""})
        else:
            label = getattr(item, "title", None) or str(item)
            out.append({"kind": kind, "label": str(label), "score": None, "id": getattr(item, "pk", None),
                        "url": ""})
    return out


def recommendations(case: Report | Message) -> list[dict[str, Any]]:
    """Suggested category and handling unit for ``case`` from ``lvzhi.smart.service.recommend(case)``,
    normalised to ``[{"kind": "category"|"unit"|…, "label", "score", "id", "url"}]``; ``[]`` while the
    service does not exist."""
    service = _smart_service()
    if service is None or not hasattr(service, "recommend"):
        return []
    return _items(service.recommend(case))


def sign_shown(case: Report | Message, items: list[dict[str, Any]]) -> str:
    """What the page shows (``items`` from :func:`recommendations`) as a signed value for the routing form
    (``lvzhi.smart.service.sign_shown``); ``""`` while the service does not exist. Writes nothing."""
    service = _smart_service()
    return service.sign_shown(case, items) if service is not None and hasattr(service, "sign_shown") else ""


def read_shown(case: Report | Message, token: str) -> list[dict[str, Any]]:
    """The suggestions the form's signed value says were shown for ``case``; ``[]`` when tampered or absent."""
    service = _smart_service()
    return service.read_shown(case, token) if service is not None and hasattr(service, "read_shown") else []


def similar(case: Report | Message) -> list[dict[str, Any]]:
    """Similar earlier cases from ``lvzhi.smart.service.similar_cases(case)`` (same shape as
    :func:`recommendations`); ``[]`` while the service does not exist."""
    service = _smart_service()
    if service is None or not hasattr(service, "similar_cases"):
        return []
    return _items(service.similar_cases(case))


def suggestion_summary(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The top suggestion per kind (``{"category": label, "unit": label}``), as recorded when routing."""
    out: dict[str, Any] = {}
    for item in items:
        if item["kind"] and item["kind"] not in out:
            out[item["kind"]] = item["label"]
    return out


# ---------------------------------------------------------------------------------------------- statistics


def _range(date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=tz) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz) if date_to else None
    return start, end


def _in_range(qs: QuerySet[Any], field: str, date_from: date | None, date_to: date | None) -> QuerySet[Any]:
    start, end = _range(date_from, date_to)
    if start is not None:
        qs = qs.filter(**{f"{field}__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{field}__lt": end})
    return qs


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percentile(values: list[float], p: float) -> float | None:
    """The ``p``-th percentile (0 < p ≤ 100) of ``values`` by the nearest-rank method (the smallest value
    with at least p % of the values at or below it); ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def opinion_statistics(council: Council | int, date_from: date | None = None,
                       date_to: date | None = None) -> dict[str, Any]:
    """Public-opinion report figures for reports submitted in ``[date_from, date_to]`` (local dates, both
    inclusive; ``None`` = open end) in ``council`` (WORKFLOWS §3, §8).

    Returns::

        {"submitted": int, "adopted": int, "kept": int, "published": int,
         "adoption_rate": float | None,          # adopted / submitted, a ratio 0–1 (None when nothing submitted)
         "instructions": int,                     # instructions (批示) on those reports
         "instructed_reports": int,               # reports with at least one instruction
         "instructed_by_level": {level: {"label", "instructions", "reports"}},  # district/city/province/national
         "delivered_by_recipient": {kind: {"label", "reports"}},
         "by_author": [{"kind", "kind_label", "name", "submitted", "adopted", "adoption_rate",
                        "instructions"}],     # sorted by submitted desc, then name
         "by_kind": {kind: {"label", "submitted", "adopted"}}}

    "Adopted" counts reports that were adopted (采用), whatever happened after.
    """
    council_id = council if isinstance(council, int) else council.pk
    reports = _in_range(Report.objects.filter(council_id=council_id, submitted_at__isnull=False), "submitted_at",
                        date_from, date_to)
    rows = list(reports.values("pk", "submitter_kind", "member__name", "organisation__name", "informant__name",
                               "adopted_at", "issue_id"))
    ids = [r["pk"] for r in rows]
    instructions = list(Instruction.objects.filter(report_id__in=ids).values("report_id", "level"))
    per_report_instr = Counter(i["report_id"] for i in instructions)
    by_level: dict[str, dict[str, Any]] = {}
    for level in InstructionLevel:
        of_level = [i for i in instructions if i["level"] == level.value]
        by_level[level.value] = {"label": str(level.label), "instructions": len(of_level),
                                 "reports": len({i["report_id"] for i in of_level})}
    deliveries = list(ReportDelivery.objects.filter(report_id__in=ids).values("report_id", "recipient_kind"))
    delivered = {k.value: {"label": str(k.label),
                           "reports": len({d["report_id"] for d in deliveries if d["recipient_kind"] == k.value})}
                 for k in RecipientKind}
    authors: dict[tuple[str, str], dict[str, Any]] = {}
    kinds: dict[str, dict[str, Any]] = {k.value: {"label": str(k.label), "submitted": 0, "adopted": 0}
                                        for k in SubmitterKind}
    for r in rows:
        name = r["organisation__name"] or r["informant__name"] or r["member__name"] or ""
        key = (r["submitter_kind"], name)
        entry = authors.setdefault(key, {"kind": key[0], "kind_label": kinds[key[0]]["label"], "name": name,
                                         "submitted": 0, "adopted": 0, "instructions": 0})
        entry["submitted"] += 1
        entry["adopted"] += r["adopted_at"] is not None
        entry["instructions"] += per_report_instr.get(r["pk"], 0)
        kinds[key[0]]["submitted"] += 1
        kinds[key[0]]["adopted"] += r["adopted_at"] is not None
    for entry in authors.values():
        entry["adoption_rate"] = _ratio(entry["adopted"], entry["submitted"])
    adopted = sum(1 for r in rows if r["adopted_at"] is not None)
    return {
        "submitted": len(rows), "adopted": adopted,
        "kept": reports.filter(state__in=states_entered_by("keep")).count(),  # where the keep act leads
        "published": sum(1 for r in rows if r["issue_id"]),
        "adoption_rate": _ratio(adopted, len(rows)),
        "instructions": len(instructions), "instructed_reports": len(per_report_instr),
        "instructed_by_level": by_level, "delivered_by_recipient": delivered,
        "by_author": sorted(authors.values(), key=lambda e: (-e["submitted"], e["name"])),
        "by_kind": kinds,
    }


def message_statistics(council: Council | int, date_from: date | None = None, date_to: date | None = None,
                       *, top: int = 10) -> dict[str, Any]:
    """Citizens' message figures for messages submitted in ``[date_from, date_to]`` (local dates, both
    inclusive; ``None`` = open end) in ``council``.

    Returns::

        {"received": int, "by_channel": {channel: {"label", "count"}},
         "answered": int, "answer_rate": float | None,            # answered / received, ratio 0–1
         "answer_days_median": float | None,                      # calendar days, submitted_at → replied_at
         "answer_days_p90": float | None,                         # nearest-rank 90th percentile, calendar days
         "answer_days_count": int,                                # answered messages with both times
         "satisfaction": {rating: {"label", "count"}}, "rated": int,
         "satisfaction_rate": float | None,                       # (满意 + 基本满意) / rated, ratio 0–1
         "top_categories": [(category, count)],                   # most frequent first, blank excluded
         "top_units": [(unit name, replies)]}                     # replies per unit: the matched unit's name,
                                                                  # else the name read from the signature

    Durations are fractional calendar days ((replied_at − submitted_at) / 24 h); negative durations (data
    errors) are left out of the median and p90.
    """
    council_id = council if isinstance(council, int) else council.pk
    qs = _in_range(Message.objects.filter(council_id=council_id, submitted_at__isnull=False), "submitted_at",
                   date_from, date_to)
    received = qs.count()
    counts = dict(qs.values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    answered_qs = qs.filter(reply_status=ReplyStatus.SENT)
    answered = answered_qs.count()
    days = []
    for submitted, replied in answered_qs.filter(replied_at__isnull=False).values_list("submitted_at", "replied_at"):
        delta = (replied - submitted).total_seconds() / 86400
        if delta >= 0:
            days.append(delta)
    ratings = dict(qs.exclude(rating="").values_list("rating").annotate(n=Count("pk")).values_list("rating", "n"))
    rated = sum(ratings.values())
    good = ratings.get(Rating.SATISFIED, 0) + ratings.get(Rating.BASICALLY, 0)
    categories = list(qs.exclude(category="").values_list("category").annotate(n=Count("pk"))
                      .order_by("-n", "category").values_list("category", "n")[:top])
    unit_counts: Counter[str] = Counter()
    for unit_name, signature in answered_qs.values_list("reply_unit__name", "reply_unit_name"):
        name = unit_name or signature
        if name:
            unit_counts[name] += 1
    return {
        "received": received,
        "by_channel": {c.value: {"label": str(c.label), "count": counts.get(c.value, 0)} for c in Channel},
        "answered": answered, "answer_rate": _ratio(answered, received),
        "answer_days_median": statistics.median(days) if days else None,
        "answer_days_p90": percentile(days, 90), "answer_days_count": len(days),
        "satisfaction": {r.value: {"label": str(r.label), "count": ratings.get(r.value, 0)} for r in Rating},
        "rated": rated, "satisfaction_rate": _ratio(good, rated),
        "top_categories": categories,
        "top_units": sorted(unit_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top],
    }


def search_reports(user: Any, query: str, limit: int) -> tuple[int, list[Hit]]:
    """The header search over public-opinion reports: the list's ``q`` filter (title) on what ``user`` may
    see."""
    from lvzhi.opinions.access import visible_reports

    return case_hits(filter_reports(visible_reports(user), {"q": query}), limit,
                     lambda r: reverse("opinions-report", args=[r.pk]))


def search_messages(user: Any, query: str, limit: int) -> tuple[int, list[Hit]]:
    """The header search over citizens' messages: the list's ``q`` filter (title, body) on what ``user`` may
    see."""
    from lvzhi.opinions.access import visible_messages

    return case_hits(filter_messages(visible_messages(user), {"q": query}), limit,
                     lambda m: reverse("opinions-message", args=[m.pk]))


#: Most published answers one portal search returns (newest first).
BROWSE_MAX = 500
#: A public search may not look for numbers (a phone or ID number would tell whether a masked message holds it).
_NUMBER_RUN = re.compile(r"\d{5,}")


@dataclass(frozen=True)
class PortalBrowse:
    """The portal's published answers filtered by the citizen: ``messages`` (newest answer first), the
    choices offered (``categories``, ``units`` as (id, name)), the values applied and an ``error`` naming a
    refused query."""

    messages: list[Message]
    categories: list[str]
    units: list[tuple[int, str]]
    q: str
    category: str
    unit: int | None
    place: str
    error: str


def browse_public(council_id: int, params: Mapping[str, Any]) -> PortalBrowse:
    """Published answers of ``council_id`` filtered by ``q`` (words in the title or category), ``category``,
    ``unit`` (the replying unit's id) and ``place`` (words in the place). Only what the portal shows is
    searched: a word must be in the *masked* title or place (a name or number the portal hides cannot be
    found), and a query with a run of 5 or more digits is refused (``error``). At most
    :data:`BROWSE_MAX` answers are returned. Unknown values match nothing."""
    from lvzhi.opinions.access import public_messages

    base = public_messages(council_id)
    categories = sorted(c for c in base.values_list("category", flat=True).distinct() if c)
    units = sorted({(pk, name) for pk, name in base.filter(reply_unit__isnull=False).values_list(
        "reply_unit_id", "reply_unit__name")}, key=lambda u: u[1])
    q = " ".join(str(params.get("q") or "").split())[:100]
    place = " ".join(str(params.get("place") or "").split())[:100]
    category = str(params.get("category") or "").strip()
    unit_raw = str(params.get("unit") or "").strip()
    unit = int(unit_raw) if unit_raw.isdigit() and len(unit_raw) < 12 else (-1 if unit_raw else None)
    error = ""
    if _NUMBER_RUN.search(q) or _NUMBER_RUN.search(place):
        error = "为保护个人信息，不能按电话、证件等号码搜索，请改用文字。"
        q = place = ""
    qs = base
    for word in q.split():
        qs = qs.filter(Q(title__icontains=word) | Q(category__icontains=word))
    for word in place.split():
        qs = qs.filter(place__icontains=word)
    if category:
        qs = qs.filter(category=category)
    if unit is not None:
        qs = qs.filter(reply_unit_id=unit)
    qs = qs.select_related("state", "reply_unit").order_by("-replied_at", "-id")
    if q or place:
        found = [m for m in qs[:BROWSE_MAX * 2]
                 if all(w in mask(m.title) or w in m.category for w in q.split())
                 and all(w in mask(m.place) for w in place.split())][:BROWSE_MAX]
    else:
        found = list(qs[:BROWSE_MAX])
    return PortalBrowse(found, categories, units, q, category, unit, place, error)
