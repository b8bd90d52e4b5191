"""The smart features inside the platform: suggestions for a case, similar cases, hot topics, accuracy in use.

Everything here only *suggests*: no function changes a case. Two things are recorded: what the recommender
showed (:class:`~lvzhi.smart.models.SuggestionRecord`, once per case, kind and model version) and, by the
opinions and proposals actions, what staff finally chose (the audit log); :func:`accuracy_in_use` compares them.
Showing suggestions never writes (a GET page): the page carries what it showed in its form as a signed value
(:func:`sign_shown`); the writer of the decision reads it back (:func:`read_shown`) and records it
(:func:`record_shown`) in its own transaction.

Hooks used by other apps (``lvzhi.opinions.queries`` imports this module when it exists):

- :func:`recommend` ``(case) -> [{"kind": "category"|"unit", "label", "score", "id", "url", "model"}]``
  — top-3 categories and top-3 handling units of the council, confidences ratios in 0..1;
- :func:`similar_cases` ``(case, user=None) -> [{"kind", "kind_label", "label", "score", "id", "url",
  "state", "date", "snippet", "duplicate"}]`` — the most similar cases of every channel and year.

Similarity index: one :class:`~lvzhi.smart.similar.SimilarityIndex` per council, stored serialised in the
database (:class:`~lvzhi.smart.models.StoredIndex`) so that every web and worker process loads the same one
instead of building its own; each process extends its copy with the rows created since (``pk`` above the
last one seen) on every query — never rebuilt per request. It is rebuilt and stored again when it was built
small and the council doubled, after ``settings.LVZHI_SIMILAR_REBUILD_SECONDS`` (6 h; the worker's periodic
task in the production mode), or when the newest indexed row changed (deleted data).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max, Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.tasks import background_task, queue_enabled
from lvzhi.core.tasks import start as start_task
from lvzhi.smart import store
from lvzhi.smart.models import CaseType, SuggestionKind, SuggestionRecord
from lvzhi.smart.text import mask_personal_data

if TYPE_CHECKING:  # numpy/scipy (lvzhi.smart.similar) are imported on first use, not with the URLs
    from lvzhi.smart.similar import SimilarityIndex

logger = logging.getLogger(__name__)

TOP_K = 3
SIMILAR_K = 5
#: Hits below this cosine similarity (ratio 0..1) are not shown.
SIMILAR_MIN_SCORE = 0.2
CASE_LABELS = {c.value: str(c.label) for c in CaseType}


# ---------------------------------------------------------------------------------------------- cases


def case_type_of(case: Any) -> str:
    """``"message"``, ``"report"`` or ``"proposal"`` for a case object; ``ValueError`` otherwise."""
    name = type(case).__name__.lower()
    if name not in CaseType.values:
        raise ValueError(f"不支持的案件类型：{type(case).__name__}")
    return name


def case_text(case: Any) -> str:
    """The text the models see: title and body (message), or title and the sections (report, proposal)."""
    kind = case_type_of(case)
    if kind == "message":
        parts = [case.title, case.body]
    elif kind == "report":
        parts = [case.title, case.situation, case.analysis, case.suggestion]
    else:
        parts = [case.title, case.situation, case.analysis, case.suggestions]
    return "\n".join(p for p in parts if p)


def case_url(kind: str, pk: int) -> str:
    """The staff page of a case."""
    name = {"message": "opinions-message", "report": "opinions-report", "proposal": "proposal-detail"}[kind]
    return reverse(name, args=[pk])


def _models() -> dict[str, type[Model]]:
    from lvzhi.opinions.models import Message, Report
    from lvzhi.proposals.models import Proposal

    return {"message": Message, "report": Report, "proposal": Proposal}


# ---------------------------------------------------------------------------------------------- recommend


def _record(case: Any, kind: str, items: list[tuple[str, float]], version: str) -> None:
    """Keep what was shown (first time per case, kind and model version); never fails the page."""
    try:
        with transaction.atomic():
            SuggestionRecord.objects.get_or_create(
                case_type=case_type_of(case), case_id=case.pk, kind=kind, model_version=version,
                defaults={"council_id": case.council_id,
                          "suggestions": [[label, round(score, 4)] for label, score in items]})
    except IntegrityError:  # recorded by a concurrent request
        pass


SHOWN_SALT = "lvzhi.smart.shown"
#: A page's signed suggestions are accepted for a week (a clerk may leave a case open for days).
SHOWN_MAX_AGE = 7 * 24 * 3600


def sign_shown(case: Any, items: list[dict[str, Any]]) -> str:
    """``items`` (as :func:`recommend` returns them: ``kind``, ``label``, ``score``, ``model``) signed with the
    site's secret for a hidden form field, bound to ``case``; writes nothing."""
    payload = {"case": f"{case_type_of(case)}:{case.pk}",
               "items": [[str(i.get("kind") or ""), str(i.get("label") or ""), i.get("score"), str(i.get("model") or "")]
                         for i in items]}
    return signing.dumps(payload, salt=SHOWN_SALT, compress=True)


def read_shown(case: Any, token: str) -> list[dict[str, Any]]:
    """The suggestions a page signed with :func:`sign_shown` for ``case``: ``[{"kind", "label", "score",
    "model"}]``. ``[]`` for an empty, forged, altered or expired value or one signed for another case (a
    tampered value is ignored, never trusted)."""
    if not token:
        return []
    try:
        payload = signing.loads(token, salt=SHOWN_SALT, max_age=SHOWN_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return []
    if not isinstance(payload, dict) or payload.get("case") != f"{case_type_of(case)}:{case.pk}":
        return []
    out = []
    for item in payload.get("items") or []:
        kind, label, score, model = item
        out.append({"kind": kind, "label": label, "score": score, "model": model})
    return out


def record_shown(case: Any, items: list[dict[str, Any]]) -> None:
    """Record ``items`` (from :func:`read_shown`) as what was shown for ``case``: one
    :class:`SuggestionRecord` per kind and model version, the first time only. Called by the writer of the
    decision, inside its transaction."""
    groups: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for item in items:
        if item["kind"] in SuggestionKind.values and item["label"]:
            groups.setdefault((item["kind"], item["model"]), []).append((item["label"], float(item["score"] or 0)))
    for (kind, model), ranked in groups.items():
        _record(case, kind, ranked, model)


def suggest_categories(case: Any, *, k: int = TOP_K, record: bool = False) -> list[dict[str, Any]]:
    """Top-``k`` categories for ``case`` from the council's (else the shared) model: messages and reports
    use ``message-category`` (the 7 first-level classes of the real data), proposals ``proposal-category``
    (restricted to the council's proposal categories when the model knows some of them).
    ``[{"kind": "category", "label", "score" (0..1), "id", "url", "model"}]``; ``[]`` without a model."""
    kind = "proposal-category" if case_type_of(case) == "proposal" else "message-category"
    loaded = store.model_for(kind, case.council_id)
    text = case_text(case)
    if loaded is None or not text.strip():
        return []
    ranked = loaded.model.top_k(text, k=len(loaded.model.labels))
    ids: dict[str, int] = {}
    if kind == "proposal-category":
        from lvzhi.proposals.models import Category

        ids = dict(Category.objects.filter(council_id=case.council_id).values_list("name", "pk"))
        if any(label in ids for label, _ in ranked):
            ranked = [(label, score) for label, score in ranked if label in ids]
    top = ranked[:k]
    if record and case.pk:
        _record(case, SuggestionKind.CATEGORY, top, loaded.info.label)
    return [{"kind": "category", "label": label, "score": round(score, 4), "id": ids.get(label), "url": "",
             "model": loaded.info.label} for label, score in top]


def suggest_units(case: Any, *, k: int = TOP_K, record: bool = False) -> list[dict[str, Any]]:
    """Top-``k`` active handling units of the council for a message or report,
    ``[{"kind": "unit", "label": unit name, "score" (0..1), "id": unit pk, …}]``; ``[]`` for proposals.

    With a ``message-unit`` model (trained on the council's own routings) its ranking is used. Until a
    council has one — a new council — the category model's probabilities are carried to the units whose
    常办分类 (``HandlingUnit.categories``, data the staff maintain) list that category, a unit's score being
    the sum over its categories; ``[]`` when neither gives a unit.
    """
    from lvzhi.members.models import HandlingUnit

    if case_type_of(case) == "proposal":
        return []
    text = case_text(case)
    if not text.strip():
        return []
    active = HandlingUnit.objects.filter(council_id=case.council_id, active=True)
    units = dict(active.values_list("name", "pk"))
    loaded = store.model_for("message-unit", case.council_id)
    if loaded is not None:
        ranked = [(label, score) for label, score in loaded.model.top_k(text, k=len(loaded.model.labels))
                  if label in units]
        source = loaded.info.label
    else:
        categories = store.model_for("message-category", case.council_id)
        if categories is None:
            return []
        probability = dict(categories.model.top_k(text, k=len(categories.model.labels)))
        scored = {u.name: sum(probability.get(c, 0.0) for c in u.category_list())
                  for u in active.exclude(categories="")}
        ranked = sorted(((name, score) for name, score in scored.items() if score > 0),
                        key=lambda item: (-item[1], item[0]))
        source = f"{categories.info.label} + 常办分类"
    if not ranked:
        return []
    top = ranked[:k]
    if record and case.pk:
        _record(case, SuggestionKind.UNIT, top, source)
    return [{"kind": "unit", "label": label, "score": round(score, 4), "id": units[label], "url": "",
             "model": source} for label, score in top]


def recommend(case: Any, *, k: int = TOP_K, record: bool = False) -> list[dict[str, Any]]:
    """Suggested categories then handling units for ``case`` (see :func:`suggest_categories`,
    :func:`suggest_units`), best first within each kind. Writes nothing unless ``record`` (never from a GET
    page: carry :func:`sign_shown` instead); never changes the case."""
    return suggest_categories(case, k=k, record=record) + suggest_units(case, k=k, record=record)


# ---------------------------------------------------------------------------------------------- similar


@dataclass
class _CouncilIndex:
    index: SimilarityIndex
    built_at: float
    built_size: int
    max_pk: dict[str, int] = field(default_factory=dict)
    anchors: dict[str, tuple[int, str]] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)
    bodies: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stamp: tuple[int, datetime] | None = None  # the StoredIndex row (id, built_at) it was built or loaded from

    _SAVED = ("index", "built_size", "max_pk", "anchors", "titles", "bodies")

    def dumps(self) -> bytes:
        """The index as bytes (pickle: the database that stores them is as trusted as the code)."""
        return pickle.dumps({name: getattr(self, name) for name in self._SAVED}, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes, built_at: datetime, stamp: tuple[int, datetime]) -> _CouncilIndex:
        state = pickle.loads(data)
        return cls(built_at=built_at.timestamp(), stamp=stamp, **state)


_indexes: dict[int, _CouncilIndex] = {}
_indexes_lock = threading.Lock()


def _rows(kind: str, council_id: int, after: int = 0) -> QuerySet[Any]:
    model = _models()[kind]
    fields = {"message": ("pk", "title", "body"),
              "report": ("pk", "title", "situation", "analysis", "suggestion"),
              "proposal": ("pk", "title", "situation", "analysis", "suggestions")}[kind]
    return model._default_manager.filter(council_id=council_id, pk__gt=after).order_by("pk").values_list(*fields)


def _add_rows(entry: _CouncilIndex, kind: str, rows: Iterable[tuple[Any, ...]]) -> None:
    from lvzhi.smart.similar import matching_form

    batch: list[tuple[str, str]] = []
    for row in rows:
        pk, title, *parts = row
        doc_id = f"{kind}:{pk}"
        if doc_id in entry.index:
            continue
        batch.append((doc_id, "\n".join(p for p in (title, *parts) if p)))
        body = matching_form("\n".join(p for p in parts if p))
        if len(body) >= 20:
            entry.bodies.setdefault(body, []).append(doc_id)
        tform = matching_form(title or "")
        if len(tform) >= 6:
            entry.titles.setdefault(tform, []).append(doc_id)
        entry.max_pk[kind] = max(entry.max_pk.get(kind, 0), int(pk))
        entry.anchors[kind] = (int(pk), title or "")
        if len(batch) >= 5000:
            entry.index.add_many(batch)
            batch = []
    if batch:
        entry.index.add_many(batch)


def _anchor_ok(entry: _CouncilIndex, council_id: int) -> bool:
    for kind, (pk, title) in entry.anchors.items():
        model = _models()[kind]
        row = model._default_manager.filter(council_id=council_id, pk__lte=pk).order_by("-pk").values_list(
            "pk", "title").first()
        if row != (pk, title):
            return False
    return True


def _build(council_id: int) -> _CouncilIndex:
    from lvzhi.smart.similar import SimilarityIndex

    entry = _CouncilIndex(SimilarityIndex(), time.time(), 0)
    for kind in ("message", "report", "proposal"):
        _add_rows(entry, kind, _rows(kind, council_id).iterator(chunk_size=2000))
    entry.index.optimize()
    entry.built_size = len(entry.index)
    return entry


def _stored_stamp(council_id: int) -> tuple[int, datetime] | None:
    from lvzhi.smart.models import StoredIndex

    return StoredIndex.objects.filter(council_id=council_id).values_list("pk", "built_at").first()


def _store(council_id: int, entry: _CouncilIndex) -> None:
    """Save ``entry`` as the council's stored index (replacing the previous one) and record its stamp."""
    from lvzhi.smart.models import StoredIndex

    built_at = timezone.now()
    row, _ = StoredIndex.objects.update_or_create(
        council_id=council_id, defaults={"data": entry.dumps(), "size": len(entry.index), "built_at": built_at})
    entry.stamp = (row.pk, row.built_at)
    entry.built_at = built_at.timestamp()


def _load_stored(council_id: int) -> _CouncilIndex | None:
    from lvzhi.smart.models import StoredIndex

    row = StoredIndex.objects.filter(council_id=council_id).first()
    if row is None:
        return None
    try:
        return _CouncilIndex.loads(bytes(row.data), row.built_at, (row.pk, row.built_at))
    except Exception:  # an index written by an incompatible version: rebuilt by the caller
        logger.warning("stored similar-case index of council %s unreadable; rebuilding", council_id)
        return None


def build_stored_index(council_id: int) -> _CouncilIndex:
    """Build the council's index from the database, store it (:class:`~lvzhi.smart.models.StoredIndex`) for
    every process, and keep it in this process. Returns it."""
    entry = _build(council_id)
    _store(council_id, entry)
    with _indexes_lock:
        _indexes[council_id] = entry
    return entry


@background_task
def rebuild_stored_index(council_id: int) -> None:
    """Background task: :func:`build_stored_index` (queued when a web process finds its index out of date)."""
    cache.delete(f"lvzhi:similar-rebuild:{council_id}")
    build_stored_index(council_id)


def rebuild_stored_indexes() -> int:
    """Rebuild and store the index of every council that has cases (the worker's periodic task,
    ``lvzhi.similar_indexes``). Returns how many were stored."""
    from lvzhi.members.models import Council

    done = 0
    for council_id in Council.objects.order_by("pk").values_list("pk", flat=True):
        if any(_rows(kind, council_id).exists() for kind in ("message", "report", "proposal")):
            build_stored_index(council_id)
            done += 1
    return done


def _rebuild_elsewhere(council_id: int) -> bool:
    """In the production mode, ask the worker to rebuild the council's index (at most once per ten minutes)
    and return ``True``; in the embedded mode return ``False`` (the caller rebuilds here)."""
    if not queue_enabled():
        return False
    if cache.add(f"lvzhi:similar-rebuild:{council_id}", 1, 600):
        start_task(rebuild_stored_index, council_id)
    return True


def similarity_index(council_id: int) -> _CouncilIndex:
    """The council's index: the one stored in the database (:class:`~lvzhi.smart.models.StoredIndex`, loaded
    once per process and again when a newer one is stored), brought up to date in memory with the rows added
    since. Only when no usable index is stored does this process build (and store) it. A stored index older
    than ``settings.LVZHI_SIMILAR_REBUILD_SECONDS`` (6 h) or missing rows that were deleted is rebuilt — by the
    worker in the production mode (the old one serves meanwhile; hits on deleted rows are dropped by the
    visibility query), here in the embedded mode."""
    rebuild_after = float(getattr(settings, "LVZHI_SIMILAR_REBUILD_SECONDS", 6 * 3600))
    stamp = _stored_stamp(council_id)
    with _indexes_lock:
        entry = _indexes.get(council_id)
        if entry is None or entry.stamp != stamp:
            loaded = _load_stored(council_id) if stamp is not None else None
            entry = loaded if loaded is not None else None
        if entry is None:
            entry = _build(council_id)
            _store(council_id, entry)
            _indexes[council_id] = entry
            return entry
        _indexes[council_id] = entry
        stale = time.time() - entry.built_at > rebuild_after or not _anchor_ok(entry, council_id)
        if stale and not _rebuild_elsewhere(council_id):
            entry = _build(council_id)
            _store(council_id, entry)
            _indexes[council_id] = entry
            return entry
    with entry.lock:
        for kind in ("message", "report", "proposal"):
            _add_rows(entry, kind, _rows(kind, council_id, entry.max_pk.get(kind, 0)))
        grown = len(entry.index)
    if entry.built_size < 2000 and grown >= 2 * max(entry.built_size, 50):
        with _indexes_lock:
            entry = _build(council_id)
            _store(council_id, entry)
            _indexes[council_id] = entry
    return entry


def reset_indexes() -> None:
    """Drop every similarity index held by this process (the stored ones are loaded again on next use)."""
    with _indexes_lock:
        _indexes.clear()


def _duplicate_kind(entry: _CouncilIndex, doc_id: str, case: Any, exact: bool) -> str:
    if exact:
        return "same_text"
    from lvzhi.smart.similar import matching_form

    text = case_text(case)
    title = getattr(case, "title", "") or ""
    body = matching_form(text[len(title):]) if text.startswith(title) else ""
    if body and doc_id in entry.bodies.get(body, []):
        return "same_body"
    if doc_id in entry.titles.get(matching_form(title), []):
        return "same_title"
    return ""


DUPLICATE_LABELS = {"same_text": "内容完全相同", "same_body": "正文相同", "same_title": "标题相同",
                    "same_matter": "疑似同一事项", "": ""}


def similar_cases(case: Any, *, user: Any = None, k: int = SIMILAR_K, min_score: float = SIMILAR_MIN_SCORE,
                  text: str | None = None) -> list[dict[str, Any]]:
    """The ``k`` cases most similar to ``case`` across messages, reports and proposals of every year of its
    council, best first: ``[{"kind", "kind_label", "label", "title", "score" (cosine 0..1), "id", "url",
    "state", "state_code", "date", "snippet", "duplicate", "duplicate_label", "mergeable"}]``.

    ``user=None`` means the council's staff view (the opinions pages call it so): every message, and reports
    and proposals past their draft. With ``user`` the hits are those ``user`` may see (the access functions);
    for anyone but the council's staff titles are masked (:func:`mask_personal_data`) and no snippet is given.
    ``text`` replaces the case's own text (a form being typed). ``case`` may be unsaved (no ``pk``).

    ``duplicate``: ``"same_text"``, ``"same_body"``, ``"same_title"``, else ``"same_matter"`` when the
    same-matter score of the two texts (:func:`lvzhi.smart.similar.same_matter_score`, the detector of
    ``lvzhi find-duplicates``) reaches :data:`~lvzhi.smart.similar.DUPLICATE_THRESHOLD`, else ``""``.
    """
    from lvzhi.members.access import is_council_staff
    from lvzhi.smart.similar import DUPLICATE_THRESHOLD, same_matter_score

    entry = similarity_index(case.council_id)
    query_text = text if text is not None else case_text(case)
    if not query_text.strip():
        return []
    self_id = f"{case_type_of(case)}:{case.pk}" if case.pk else ""
    with entry.lock:
        hits = entry.index.query(query_text, k=k * 4 + 5, min_score=min_score, exclude=[self_id] if self_id else [])
        dup = {h.id: _duplicate_kind(entry, h.id, case, h.exact) for h in hits}
        idf = entry.index.idf
    staff_view = user is None or is_council_staff(user, case.council_id)
    by_kind: dict[str, list[int]] = {}
    for h in hits:
        kind, pk = h.id.split(":")
        by_kind.setdefault(kind, []).append(int(pk))
    rows: dict[str, dict[str, Any]] = {}
    for kind, pks in by_kind.items():
        qs = _visible(kind, user, case.council_id).filter(pk__in=pks)
        body_field = {"message": "body", "report": "situation", "proposal": "situation"}[kind]
        date_field = "submitted_at"
        extra = ("state__code",) if kind != "proposal" else ("state__code", "state__mergeable", "merged_into_id")
        for values in qs.values("pk", "title", body_field, "state__name", date_field, *extra):
            rows[f"{kind}:{values['pk']}"] = {**values, "body": values[body_field]}
    out: list[dict[str, Any]] = []
    for h in hits:
        row = rows.get(h.id)
        if row is None:
            continue
        kind = h.id.split(":")[0]
        if not dup[h.id] and idf is not None and same_matter_score(
                query_text, f"{row['title']}\n{row['body'] or ''}", idf) >= DUPLICATE_THRESHOLD:
            dup[h.id] = "same_matter"
        title = row["title"] if staff_view else mask_personal_data(row["title"])
        snippet = (row["body"] or "")[:120] if staff_view else ""
        out.append({
            "kind": kind, "kind_label": CASE_LABELS[kind], "label": title, "title": title,
            "score": round(h.score, 3), "id": row["pk"], "url": case_url(kind, row["pk"]),
            "state": row["state__name"], "state_code": row["state__code"], "date": row["submitted_at"],
            "snippet": snippet, "duplicate": dup[h.id], "duplicate_label": DUPLICATE_LABELS[dup[h.id]],
            "mergeable": kind == "proposal" and row["state__mergeable"] and not row.get("merged_into_id"),
        })
        if len(out) >= k:
            break
    return out


def _visible(kind: str, user: Any, council_id: int) -> QuerySet[Any]:
    if user is None:
        qs = _models()[kind]._default_manager.filter(council_id=council_id)
        return qs if kind == "message" else qs.exclude(state__is_draft=True)
    if kind == "message":
        from lvzhi.opinions.access import visible_messages

        return visible_messages(user).filter(council_id=council_id)
    if kind == "report":
        from lvzhi.opinions.access import visible_reports

        return visible_reports(user).filter(council_id=council_id)
    from lvzhi.proposals.access import visible_proposals

    return visible_proposals(user).filter(council_id=council_id)


# ---------------------------------------------------------------------------------------------- proposals


def proposal_panel(user: Any, proposal: Any, *, roles: set[str] | None = None) -> dict[str, Any]:
    """What the proposal page shows in its smart panel for ``user``:

    ``{"show": bool, "staff": bool, "categories": [...], "similar": [...], "may_merge": bool, "may_link": bool}``

    Staff see it while the workflow lets them merge into the proposal (permission ``merge``: submitted or filed
    by default) — categories, similar cases of all channels, merge and link buttons; the proposer sees
    "possible duplicates" among the cases they may see while they may edit it (draft or returned). Others see nothing. ``roles``: the user's roles on the proposal when the
    caller already has them (saves queries).
    """
    from lvzhi.workflow.engine import act_allowed

    roles = proposal.roles_of(user) if roles is None else roles
    staff = "staff" in roles
    may_merge = act_allowed(proposal, "merge", roles)  # the workflow's merge permission (data)
    show = (staff and may_merge) or ("proposer" in roles and proposal.state.submitter_may_edit)
    if not show:
        return {"show": False}
    return {"show": True, "staff": staff,
            "categories": suggest_categories(proposal) if staff else [],
            "similar": similar_cases(proposal, user=user),
            "may_merge": may_merge, "may_link": staff}


# ---------------------------------------------------------------------------------------------- accuracy


def _choices(council_id: int) -> list[tuple[str, int, str, str, datetime]]:
    """``[(case type, case id, kind, chosen label, chosen at)]`` from the audit log: messages' ``routed``
    entries (category and unit chosen) and proposals' filing (category at filing)."""
    from lvzhi.core.models import AuditEntry
    from lvzhi.opinions.models import Message
    from lvzhi.proposals.models import Category, Proposal

    out: list[tuple[str, int, str, str, datetime]] = []
    ct_message = ContentType.objects.get_for_model(Message)
    for target_id, new, at in AuditEntry.objects.filter(council_id=council_id, target_type=ct_message,
                                                         event="routed").values_list("target_id", "new_values",
                                                                                     "created_at"):
        chosen = (new or {}).get("chosen") or {}
        if chosen.get("category"):
            out.append(("message", target_id, "category", str(chosen["category"]), at))
        if chosen.get("unit_name"):
            out.append(("message", target_id, "unit", str(chosen["unit_name"]), at))
    ct_proposal = ContentType.objects.get_for_model(Proposal)
    # The filing: the move that set the filing time (whatever the states are called).
    filed = list(AuditEntry.objects.filter(council_id=council_id, target_type=ct_proposal,
                                           new_values__has_key="filed_at", event="transition").values_list("target_id", "new_values", "created_at"))
    names = dict(Category.objects.filter(council_id=council_id).values_list("pk", "name"))
    current = dict(Proposal.objects.filter(pk__in=[f[0] for f in filed]).values_list("pk", "category_id"))
    for target_id, new, at in filed:
        cat = (new or {}).get("category") or current.get(target_id)
        if cat in names:
            out.append(("proposal", target_id, "category", names[cat], at))
    return out


def accuracy_in_use(council_id: int) -> dict[str, dict[str, Any]]:
    """How often staff chose what was suggested, per ``"<case type>-<kind>"`` (``message-category``,
    ``message-unit``, ``proposal-category``):

    ``{"n": decisions with a suggestion shown before them, "top1": count, "top3": count,
    "top1_rate": ratio 0..1 | None, "top3_rate": ratio 0..1 | None}``.

    A decision is a message's routing (``routed`` audit entry: chosen category and unit) or a proposal's
    filing (category at filing); it is compared with the latest :class:`SuggestionRecord` of that case and kind
    recorded before it. Decisions without an earlier suggestion are not counted.
    """
    out: dict[str, dict[str, Any]] = {key: {"n": 0, "top1": 0, "top3": 0}
                                      for key in ("message-category", "message-unit", "proposal-category")}
    decisions = _choices(council_id)
    records: dict[tuple[str, int, str], list[SuggestionRecord]] = {}
    ids = {(t, i) for t, i, *_ in decisions}
    if ids:
        for rec in SuggestionRecord.objects.filter(council_id=council_id,
                                                   case_id__in={i for _, i in ids}).order_by("created_at", "id"):
            if (rec.case_type, rec.case_id) in ids:
                records.setdefault((rec.case_type, rec.case_id, rec.kind), []).append(rec)
    for case_type, case_id, kind, chosen, at in decisions:
        before = [r for r in records.get((case_type, case_id, kind), []) if r.created_at <= at]
        if not before:
            continue
        labels = before[-1].labels
        key = f"{case_type}-{kind}"
        out[key]["n"] += 1
        out[key]["top1"] += bool(labels) and labels[0] == chosen
        out[key]["top3"] += chosen in labels[:3]
    for figures in out.values():
        n = figures["n"]
        figures["top1_rate"] = figures["top1"] / n if n else None
        figures["top3_rate"] = figures["top3"] / n if n else None
    return out


# ---------------------------------------------------------------------------------------------- hot topics


DEFAULT_DAYS = 90
TOPICS_TTL = 24 * 3600


class _TopicsCache:
    """Hot-topic results in Django's cache (Redis in the production mode: shared by every process), keyed by
    a hash of the parameters and the data stamp. :meth:`clear` starts a new generation of keys."""

    prefix = "lvzhi:topics"

    def _key(self, key: tuple[Any, ...]) -> str:
        generation = cache.get_or_set(f"{self.prefix}:gen", lambda: uuid.uuid4().hex, None)
        return f"{self.prefix}:{generation}:{hashlib.sha256(repr(key).encode()).hexdigest()[:40]}"

    def get(self, key: tuple[Any, ...]) -> dict[str, Any] | None:
        value: dict[str, Any] | None = cache.get(self._key(key))
        return value

    def set(self, key: tuple[Any, ...], value: dict[str, Any]) -> None:
        cache.set(self._key(key), value, TOPICS_TTL)

    def clear(self) -> None:
        cache.set(f"{self.prefix}:gen", uuid.uuid4().hex, None)


_topics_cache = _TopicsCache()


def growth_threshold_default() -> float:
    """``settings.LVZHI_TOPIC_GROWTH_THRESHOLD`` (ratio latest/previous month; default 1.5 = +50 %)."""
    return float(getattr(settings, "LVZHI_TOPIC_GROWTH_THRESHOLD", 1.5))


def topic_window(council_id: int, *, date_from: date | None = None, date_to: date | None = None,
                 days: int | None = None) -> tuple[date | None, date | None]:
    """The local dates (both inclusive) the topics cover. Given ``date_from``/``date_to`` are used as they are;
    otherwise the window is the ``days`` (default 90) calendar days ending at ``date_to`` or, without it, at
    the day of the council's latest message or report (today on a live system; the end of the data for an
    imported archive). ``(None, None)`` when the council has nothing."""
    from lvzhi.opinions.models import Message, Report

    if date_from is not None and date_to is not None:
        return date_from, date_to
    end = date_to
    if end is None:
        latest = [Message.objects.filter(council_id=council_id).aggregate(m=Max("submitted_at"))["m"],
                  Report.objects.filter(council_id=council_id).aggregate(m=Max("submitted_at"))["m"]]
        known = [timezone.localtime(x).date() for x in latest if x is not None]
        if not known:
            return None, None
        end = min(max(known), timezone.localdate())
    start = date_from or end - timedelta(days=(days or DEFAULT_DAYS) - 1)
    return start, end


def hot_topics(council_id: int, *, date_from: date | None = None, date_to: date | None = None,
               days: int | None = None, growth_threshold: float | None = None, min_size: int = 3,
               top_n: int = 20, max_docs: int = 8000) -> dict[str, Any]:
    """Hot topics of the council's messages and reports submitted in the window (:func:`topic_window`),
    clustered by :func:`lvzhi.smart.topics.hot_topics` (monthly periods). Cached in Django's cache (shared
    with Redis) until a case is added or the parameters change. Returns::

        {"from": date, "to": date, "n_docs": int, "truncated": bool, "growth_threshold": float,
         "latest_period": "YYYY-MM", "previous_period": "YYYY-MM", "seconds": float,
         "topics": [{"rank", "label", "terms", "count", "series": {"YYYY-MM": count}, "places": [[place, n]],
                     "likes": int | None, "latest_count", "previous_count", "growth": ratio | None,
                     "warning": bool, "first_seen", "last_seen",
                     "cases": [{"kind", "id", "title", "url"}]  # up to 5, the most liked first}]}

    At most ``max_docs`` cases (the most recent) are clustered (``truncated``). Raises ``ValueError`` for a
    non-positive threshold (Chinese message).
    """
    from lvzhi.opinions.models import Message, Report
    from lvzhi.smart.topics import TopicDoc
    from lvzhi.smart.topics import hot_topics as cluster

    threshold = growth_threshold_default() if growth_threshold is None else float(growth_threshold)
    if threshold <= 0:
        raise ValueError("增长预警阈值必须大于 0")
    start, end = topic_window(council_id, date_from=date_from, date_to=date_to, days=days)
    empty: dict[str, Any] = {"from": start, "to": end, "n_docs": 0, "truncated": False, "growth_threshold": threshold,
             "latest_period": None, "previous_period": None, "seconds": 0.0, "topics": []}
    if start is None or end is None:
        return empty
    tz = timezone.get_current_timezone()
    lo = datetime.combine(start, dtime.min, tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), dtime.min, tzinfo=tz)
    messages = Message.objects.filter(council_id=council_id, submitted_at__gte=lo, submitted_at__lt=hi)
    reports = Report.objects.filter(council_id=council_id, submitted_at__gte=lo, submitted_at__lt=hi)
    stamp = (messages.count(), messages.aggregate(m=Max("pk"))["m"], reports.count(), reports.aggregate(m=Max("pk"))["m"])
    key = (council_id, start, end, threshold, min_size, top_n, max_docs, stamp)
    hit = _topics_cache.get(key)
    if hit is not None:
        return hit
    docs: list[TopicDoc] = []
    titles: dict[str, tuple[str, int, str, int]] = {}
    for pk, title, body, at, likes in messages.order_by("-submitted_at", "-pk").values_list(
            "pk", "title", "body", "submitted_at", "likes")[:max_docs]:
        doc_id = f"message:{pk}"
        docs.append(TopicDoc(doc_id, title, body, timezone.localtime(at).replace(tzinfo=None), likes))
        titles[doc_id] = ("message", pk, title, likes or 0)
    room = max_docs - len(docs)
    if room > 0:
        for pk, title, s, a, g, at in reports.order_by("-submitted_at", "-pk").values_list(
                "pk", "title", "situation", "analysis", "suggestion", "submitted_at")[:room]:
            doc_id = f"report:{pk}"
            docs.append(TopicDoc(doc_id, title, "\n".join((s, a, g)), timezone.localtime(at).replace(tzinfo=None)))
            titles[doc_id] = ("report", pk, title, 0)
    truncated = stamp[0] + stamp[2] > len(docs)
    if not docs:
        return empty
    result = cluster(docs, period="month", growth_threshold=threshold, min_size=min_size, top_n=top_n,
                     max_docs=max(max_docs, len(docs)))
    topics = []
    for t in result.topics:
        members = sorted((titles[m] for m in t.member_ids), key=lambda x: (-x[3], x[1]))[:5]
        topics.append({
            "rank": t.rank, "label": t.label, "terms": t.terms, "count": t.count, "series": t.series,
            "places": [[p, n] for p, n in t.places], "likes": t.likes, "latest_count": t.latest_count,
            "previous_count": t.previous_count, "growth": t.growth, "warning": t.warning,
            "first_seen": t.first_seen, "last_seen": t.last_seen,
            "cases": [{"kind": kind, "id": pk, "title": title, "url": case_url(kind, pk)}
                      for kind, pk, title, _ in members],
        })
    out = {"from": start, "to": end, "n_docs": len(docs), "truncated": truncated, "growth_threshold": threshold,
           "latest_period": result.latest_period, "previous_period": result.previous_period,
           "seconds": round(result.seconds, 2), "topics": topics}
    _topics_cache.set(key, out)
    return out
