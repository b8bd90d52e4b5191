"""Trained models on disk: versioned, loaded once per process, reloaded when the file changes.

Layout under ``settings.DATA_DIR / "models"`` (``settings.LVZHI_MODELS_DIR`` overrides it)::

    models/<scope>/<kind>/v0003.joblib     the model (lvzhi.smart.classify.Model.save)
    models/<scope>/<kind>/v0003.json       its metadata (trained_at, n_samples, classes, CV figures, sources)
    models/<scope>/<kind>/current.json     {"version": 3}: the version in use

``scope`` is ``shared`` (trained from the real labelled files; every council without its own model uses it)
or ``council-<id>`` (trained from that council's history, optionally with the files). ``kind`` is one of
:data:`KINDS`. Writes are atomic (temporary file + rename), so a reader never sees half a model; a process
notices a new version by the modification time and size of ``current.json`` and reloads. Older versions are
kept (the newest :data:`KEEP_VERSIONS`) so an administrator can go back by editing ``current.json``.

No model is ever downloaded: a missing model simply means no suggestion.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

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
        version = (_versions(directory) or [0])[-1] + 1
        path = directory / f"v{version:04d}.joblib"
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".model.")
        os.close(fd)
        try:
            model.save(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        full_meta = {**(meta or {}), "kind": kind, "scope": scope, "version": version}
        _write_atomic(directory / f"v{version:04d}.json",
                      json.dumps(full_meta, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
        _write_atomic(directory / "current.json", json.dumps({"version": version}).encode("utf-8"))
        for old in _versions(directory)[:-KEEP_VERSIONS]:
            (directory / f"v{old:04d}.joblib").unlink(missing_ok=True)
            (directory / f"v{old:04d}.json").unlink(missing_ok=True)
    return ModelInfo(kind, scope, version, path, full_meta)


def current_info(kind: str, scope: str) -> ModelInfo | None:
    """The current version's :class:`ModelInfo` of ``kind`` in ``scope``, or ``None`` when none is stored."""
    _check_kind(kind)
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
    try:
        st = (_kind_dir(kind, scope) / "current.json").stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def load(kind: str, scope: str) -> LoadedModel | None:
    """The current model of ``kind`` in ``scope``, from the per-process cache; reloaded when
    ``current.json`` changed since it was loaded. ``None`` when there is no (readable) model."""
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
        try:
            model = Model.load(info.path)
        except (OSError, ValueError):
            return None
        loaded = LoadedModel(model, info)
        _cache[key] = (stamp, loaded)
        return loaded


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
