"""lvzhi.core.tasks, the one way background work starts: registered functions with JSON arguments only; in
the embedded mode a thread after the commit; the worker commands refuse to start without Redis."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from django.core.management import CommandError, call_command

from lvzhi.core import tasks
from lvzhi.proposals.importing import ImportRow, Proposer, rows_from_json, rows_to_json

RAN: list[tuple[int, str]] = []


@tasks.background_task
def _record(n: int, text: str) -> None:
    RAN.append((n, text))


def _unregistered(n: int) -> None:
    RAN.append((n, ""))


def test_only_registered_functions_with_json_arguments() -> None:
    with pytest.raises(ValueError, match="not registered"):
        tasks.start(_unregistered, 1)
    with pytest.raises(ValueError, match="JSON"):
        tasks.start(_record, 1, object())
    with pytest.raises(TypeError, match="module-level"):
        tasks.background_task(lambda: None)
    with pytest.raises(LookupError):
        tasks.run("lvzhi.core.tasks.nothing_here", [])


@pytest.mark.skipif(tasks.queue_enabled(), reason="the embedded mode (LVZHI_REDIS_URL unset) runs threads")
@pytest.mark.django_db
def test_embedded_mode_runs_a_thread_after_the_commit(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    RAN.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.start(_record, 3, "三")
    assert RAN == [] and len(callbacks) == 1  # nothing before the commit
    before = set(threading.enumerate())
    callbacks[0]()
    started = [t for t in threading.enumerate() if t not in before and t.name == "lvzhi-_record"]
    for t in started:
        t.join(timeout=30)
    assert RAN == [(3, "三")]


def test_import_rows_survive_the_queue() -> None:
    at = datetime(2019, 1, 14, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    rows = [ImportRow(2, "p1", "0001", Proposer("member", "张三", 10), "关于加快…的提案", "经济建设", at,
                      "现状", "分析", "建议", "张三等11人")]
    back = rows_from_json(rows_to_json(rows))
    assert back == rows and back[0].submitted_at.utcoffset() == timedelta(hours=8)


def test_worker_and_beat_need_redis(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LVZHI_REDIS_URL = ""
    for command in ("worker", "beat"):
        with pytest.raises(CommandError, match="未设置环境变量 LVZHI_REDIS_URL"):
            call_command(command)
