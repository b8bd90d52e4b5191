"""Background work: the one way the apps start it (imports, exports, model training, index rebuilds).

Two modes, chosen by the environment (``settings.LVZHI_REDIS_URL``, from ``LVZHI_REDIS_URL``):

- **embedded** (the default, no Redis): the function runs in a daemon thread of the calling process once the
  current transaction commits, with its own database connection — one machine, one web process;
- **queue** (``LVZHI_REDIS_URL`` set): a message naming the function and its arguments goes to Celery on Redis
  once the transaction commits, and a ``lvzhi worker`` process (on any machine) runs it. Web processes keep no
  state about it: progress and results live in :class:`lvzhi.core.models.Job` rows.

A background function is a module-level function decorated with :func:`background_task`; its arguments must be
JSON values (ids, strings, lists, dicts), since in queue mode they travel through Redis. The worker runs only
registered functions (the name in a message is looked up in the registry, never imported blindly).
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, connection, transaction

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
_REGISTRY: dict[str, Callable[..., Any]] = {}


def queue_enabled() -> bool:
    """``True`` when background work goes to Celery on Redis (``LVZHI_REDIS_URL`` is set)."""
    return bool(getattr(settings, "LVZHI_REDIS_URL", ""))


def task_name(func: Callable[..., Any]) -> str:
    """The registry name of ``func``: ``"<module>.<function>"``, e.g. ``lvzhi.reports.jobs.run_export``."""
    return f"{func.__module__}.{func.__qualname__}"


def background_task(func: F) -> F:
    """Register ``func`` (a module-level function with JSON arguments) as runnable in the background."""
    if "<locals>" in func.__qualname__:
        raise TypeError(f"{func.__qualname__}: a background task must be a module-level function")
    _REGISTRY[task_name(func)] = func
    return func


def start(func: Callable[..., Any], *args: Any) -> None:
    """Run ``func(*args)`` in the background once the current transaction commits (at once outside one).

    Raises ``ValueError`` when ``func`` is not registered with :func:`background_task` or an argument is not
    JSON-serialisable (checked in both modes, so embedded runs catch what would fail on the queue)."""
    name = task_name(func)
    if _REGISTRY.get(name) is not func:
        raise ValueError(f"{name} is not registered with @background_task")
    try:
        payload = json.loads(json.dumps(list(args)))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: arguments must be JSON values ({exc})") from exc
    if queue_enabled():
        from lvzhi.core.queue import app

        transaction.on_commit(lambda: app.send_task("lvzhi.run", args=[name, payload]))
    else:
        transaction.on_commit(lambda: threading.Thread(
            target=_in_thread, args=(func, payload), name=f"lvzhi-{func.__name__}", daemon=True).start())


def _in_thread(func: Callable[..., Any], args: list[Any]) -> None:
    close_old_connections()
    try:
        func(*args)
    except Exception:  # the functions end their Job themselves; this only keeps a crash out of stderr noise
        logger.exception("background task %s crashed", task_name(func))
    finally:
        connection.close()  # the thread's own connection


def run(name: str, args: list[Any]) -> None:
    """Run the registered task ``name`` with ``args`` here and now (what the worker does with a message).
    Imports the task's module first so its registration runs; raises ``LookupError`` for an unknown name."""
    module = name.rsplit(".", 1)[0]
    if name not in _REGISTRY and module.startswith("lvzhi."):
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    func = _REGISTRY.get(name)
    if func is None:
        raise LookupError(f"unknown background task: {name}")
    func(*args)
