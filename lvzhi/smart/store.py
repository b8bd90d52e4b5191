"""Trained models: versioned, stored in the database, loaded once per process, reloaded when a new one is current.

Every version's bytes and metadata live in a :class:`~lvzhi.smart.models.StoredModel` row, so every web and
worker process — on one machine or several, each with its own data directory — uses the same current model.
The files below are each process's local cache of those rows (written when a model is saved or first loaded
on a machine); a deployment upgraded from file-only models keeps working from its files until it trains again.

Local layout under ``settings.DATA_DIR / "models"`` (``settings.LVZHI_MODELS_DIR`` overrides it)::

    models/<scope>/<kind>/v0003.joblib     the model (lvzhi.smart.classify.Model.save)
    models/<scope>/<kind>/v0003.json       its metadata (trained_at, n_samples, classes, CV figures, sources)
    models/<scope>/<kind>/current.json     {"version": 3}: the version in use

``scope`` is ``shared`` (trained from the real labelled files; every council without its own model uses it)
or ``council-<id>`` (trained from that council's history, optionally with the files). ``kind`` is one of
:data:`KINDS`. Writes are atomic (temporary file + rename), so a reader never sees half a model; a process
notices a new version by the current row's id and version (one indexed query per :func:`load`) and reloads.
Older versions are kept (the newest :data:`KEEP_VERSIONS`) so an administrator can go back by marking another
row ``current`` (admin or :func:`make_current`).

No model is ever downloaded: a missing model simply means no suggestion.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:  # scikit-learn is imported on first use (load/save), not with the URLs
    from lvzhi.smart.classify import Model

#: Model kinds: what is predicted for which case type.
KINDS: dict[str, str] = {
    "message-category": "群众意见分类",
    "message-unit": "群众意见承办单位",
    "proposal-category": "提案类别",
}
SHARED = "shared"
KEEP_VERSIONS = 5

_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[tuple[int, int], LoadedModel]] = {}


@dataclass(frozen=True)
class ModelInfo:
    """Metadata of one stored model version. ``meta`` holds what training wrote (see :func:`save_model`)."""

    kind: str
    scope: str
    version: int
    path: Path
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``"<scope>/<kind>/v<version>"``: the version string recorded with every suggestion."""
        return f"{self.scope}/{self.kind}/v{self.version}"

    @property
    def council_id(self) -> int | None:
        return int(self.scope.split("-", 1)[1]) if self.scope.startswith("council-") else None


@dataclass(frozen=True)
class LoadedModel:
    """A model in memory with its :class:`ModelInfo`."""

    model: Model
    info: ModelInfo


def models_dir() -> Path:
    """The root directory of stored models (created on demand)."""
    root = getattr(settings, "LVZHI_MODELS_DIR", None)
    return Path(root) if root else Path(settings.DATA_DIR) / "models"


def scope_of(council_id: int | None) -> str:
    """``"council-<id>"`` for a council, ``"shared"`` for ``None``."""
    return SHARED if council_id is None else f"council-{int(council_id)}"


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"未知的模型类型：{kind}（可选：{'、'.join(KINDS)}）")


def _kind_dir(kind: str, scope: str) -> Path:
    return models_dir() / scope / kind


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _versions(directory: Path) -> list[int]:
    out = []
    for p in directory.glob("v*.joblib"):
        digits = p.stem[1:]
        if digits.isdigit():
            out.append(int(digits))
    return sorted(out)


def save_model(model: Model, kind: str, *, council_id: int | None = None,
               meta: dict[str, Any] | None = None) -> ModelInfo:
    """Store ``model`` as the next version of ``kind`` for ``council_id`` (``None``: shared) and make it
    current. ``meta`` (JSON-serialisable: trained_at, n_samples, classes, cv_macro_f1, cv_accuracy, sources…)
    is written beside it. Returns the new :class:`ModelInfo`. Raises ``ValueError`` for an unknown kind."""
    _check_kind(kind)
    scope = scope_of(council_id)
    directory = _kind_dir(kind, scope)
    directory.mkdir(parents=True, exist_ok=True)
    with _lock:
        version = max([*_versions(directory), _stored_max_version(kind, scope), 0]) + 1
        path = directory / f"v{version:04d}.joblib"
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".model.")
        os.close(fd)
        try:
            model.save(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        full_meta = json.loads(json.dumps({**(meta or {}), "kind": kind, "scope": scope, "version": version},
                                          ensure_ascii=False, default=str))
        _store_row(kind, scope, version, full_meta, path.read_bytes())
        _write_local(directory, version, full_meta)
        for old in _versions(directory)[:-KEEP_VERSIONS]:
            (directory / f"v{old:04d}.joblib").unlink(missing_ok=True)
            (directory / f"v{old:04d}.json").unlink(missing_ok=True)
    return ModelInfo(kind, scope, version, path, full_meta)


def _write_local(directory: Path, version: int, meta: dict[str, Any]) -> None:
    _write_atomic(directory / f"v{version:04d}.json",
                  json.dumps(meta, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
    _write_atomic(directory / "current.json", json.dumps({"version": version}).encode("utf-8"))


def _store_row(kind: str, scope: str, version: int, meta: dict[str, Any], data: bytes) -> None:
    """Make ``version`` the current row of ``kind``/``scope`` (the database is the shared truth) and drop
    rows older than the newest :data:`KEEP_VERSIONS`."""
    from django.db import transaction

    from lvzhi.smart.models import StoredModel

    with transaction.atomic():
        rows = StoredModel.objects.filter(scope=scope, kind=kind)
        rows.filter(current=True).update(current=False)
        StoredModel.objects.update_or_create(scope=scope, kind=kind, version=version,
                                             defaults={"meta": meta, "data": data, "current": True})
        keep = list(rows.order_by("-version").values_list("pk", flat=True)[:KEEP_VERSIONS])
        rows.exclude(pk__in=keep).delete()


def _current_row(kind: str, scope: str) -> tuple[int, int, dict[str, Any]] | None:
    """``(row id, version, meta)`` of the current stored version, or ``None`` when the database has none."""
    from lvzhi.smart.models import StoredModel

    return (StoredModel.objects.filter(scope=scope, kind=kind, current=True)
            .values_list("pk", "version", "meta").first())


def make_current(kind: str, scope: str, version: int) -> None:
    """Go back (or forward) to a stored ``version`` of ``kind`` in ``scope``; every process loads it next.
    Raises ``LookupError`` when that version is not stored."""
    from django.db import transaction

    from lvzhi.smart.models import StoredModel

    with transaction.atomic():
        rows = StoredModel.objects.filter(scope=scope, kind=kind)
        if not rows.filter(version=version).exists():
            raise LookupError(f"没有 {scope}/{kind} 的第 {version} 版模型")
        rows.exclude(version=version).update(current=False)
        rows.filter(version=version).update(current=True)


def _stored_max_version(kind: str, scope: str) -> int:
    from django.db.models import Max

    from lvzhi.smart.models import StoredModel

    return int(StoredModel.objects.filter(scope=scope, kind=kind).aggregate(m=Max("version"))["m"] or 0)


def current_info(kind: str, scope: str) -> ModelInfo | None:
    """The current version's :class:`ModelInfo` of ``kind`` in ``scope``, or ``None`` when none is stored.
    ``path`` is the local cache file (it may not exist yet on this machine: :func:`load` fetches it)."""
    _check_kind(kind)
    row = _current_row(kind, scope)
    if row is not None:
        _, version, meta = row
        return ModelInfo(kind, scope, version, _kind_dir(kind, scope) / f"v{version:04d}.joblib", meta)
    return _file_info(kind, scope)


def _file_info(kind: str, scope: str) -> ModelInfo | None:
    """A model known only from local files (a deployment from before models were stored in the database)."""
    directory = _kind_dir(kind, scope)
    pointer = directory / "current.json"
    try:
        version = int(json.loads(pointer.read_text("utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    path = directory / f"v{version:04d}.joblib"
    if not path.exists():
        return None
    try:
        meta = json.loads((directory / f"v{version:04d}.json").read_text("utf-8"))
    except (OSError, ValueError):
        meta = {}
    return ModelInfo(kind, scope, version, path, meta)


def _stamp(kind: str, scope: str) -> tuple[int, int] | None:
    row = _current_row(kind, scope)
    if row is not None:
        return (-row[0], row[1])  # the stored row: (-id, version), never equal to a file's stamp
    try:
        st = (_kind_dir(kind, scope) / "current.json").stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def load(kind: str, scope: str) -> LoadedModel | None:
    """The current model of ``kind`` in ``scope``, from the per-process cache; reloaded when another version
    became current since it was loaded (the local file is fetched from the database when this machine does not
    have it yet). ``None`` when there is no (readable) model."""
    _check_kind(kind)
    stamp = _stamp(kind, scope)
    key = (kind, scope)
    if stamp is None:
        _cache.pop(key, None)
        return None
    hit = _cache.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        info = current_info(kind, scope)
        if info is None:
            return None
        if stamp[0] < 0 and not info.path.exists():
            _fetch(info)
        from lvzhi.smart.classify import Model

        try:
            model = Model.load(info.path)
        except (OSError, ValueError):
            return None
        loaded = LoadedModel(model, info)
        _cache[key] = (stamp, loaded)
        return loaded


def _fetch(info: ModelInfo) -> None:
    """Write the stored bytes of ``info``'s version to this machine's local cache."""
    from lvzhi.smart.models import StoredModel

    data = (StoredModel.objects.filter(scope=info.scope, kind=info.kind, version=info.version)
            .values_list("data", flat=True).first())
    if data is None:
        return
    _write_atomic(info.path, bytes(data))
    _write_local(info.path.parent, info.version, info.meta)


def delete_scope(council_id: int) -> None:
    """Forget every model trained for ``council_id``: its stored rows and its local files."""
    import shutil

    from lvzhi.smart.models import StoredModel

    scope = scope_of(council_id)
    StoredModel.objects.filter(scope=scope).delete()
    directory = models_dir() / scope
    if directory.is_dir():
        shutil.rmtree(directory, ignore_errors=True)
    clear_cache()


def model_for(kind: str, council_id: int | None) -> LoadedModel | None:
    """The model a council uses for ``kind``: its own when it has one, else the shared one, else ``None``."""
    if council_id is not None:
        own = load(kind, scope_of(council_id))
        if own is not None:
            return own
    return load(kind, SHARED)


def list_models(council_id: int | None = None) -> list[ModelInfo]:
    """Current models of every kind for ``council_id`` (its own) and the shared ones, kind order."""
    out = []
    scopes = [SHARED] if council_id is None else [scope_of(council_id), SHARED]
    for kind in KINDS:
        for scope in scopes:
            info = current_info(kind, scope)
            if info is not None:
                out.append(info)
    return out


def clear_cache() -> None:
    """Forget every loaded model (the next :func:`load` reads the files again)."""
    with _lock:
        _cache.clear()
