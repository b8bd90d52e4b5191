"""The production mode for real: Redis, a Celery worker process and two web processes (gunicorn with two
workers, and ``lvzhi serve``), each with its own data directory, against one PostgreSQL database.

Everything goes through HTTP as a browser or API client would, and checks that no state is local to a
process: (a) an import job started through one web process is run by the worker and its progress and result
are seen through the other; (b) the portal's rate limit used up through one refuses through the other;
(c) a model trained through one is used through the other (which fetches it from the database: its own data
directory starts empty).
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import PASSWORD
from tests.deployments import LVZHI, ON_PG, Deployment

pytestmark = pytest.mark.skipif(
    not ON_PG, reason="needs PostgreSQL (DATABASE_URL=postgres://…): web and worker processes on several machines "
                      "share one database server; SQLite is the one-process embedded mode")

REDIS_URL = os.environ.get("LVZHI_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
ROOT = Path(__file__).resolve().parents[2]
CSV_PATH = ROOT / ".." / "shared" / "data" / "jszx2019-proposals" / "proposals.csv"
WAIT = 300.0  # seconds: bound of every wait (a loaded 2-core machine starts Python processes slowly)

WORLD = """
import json, django
django.setup()
from tests.conftest import build_world
w = build_world()
print(json.dumps({"council": w.council.pk, "session": w.session.pk, "staff": w.user("staff").username}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    a: str  # base URL of web process A (gunicorn, 2 workers)
    b: str  # base URL of web process B (lvzhi serve)
    data: dict[str, Path]
    logs: dict[str, Path]
    world: dict[str, Any]
    db: Deployment
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def log(self, name: str) -> str:
        return self.logs[name].read_text("utf-8", "replace")


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"{url} exited:\n{log.read_text('utf-8', 'replace')[-3000:]}"
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {WAIT} s:\n{log.read_text('utf-8', 'replace')[-3000:]}")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({exc}); start it (CI does: .ci/run)")
    db = Deployment(tmp_path, "db")
    env = {**db.env, "SECRET_KEY": secrets.token_urlsafe(40), "LVZHI_REDIS_URL": REDIS_URL,
           "LVZHI_QUEUE": f"lvzhi-test-{uuid.uuid4().hex[:8]}", "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "lvzhi.settings"}
    db.env = env
    procs: list[subprocess.Popen[bytes]] = []
    try:
        db.run("setup")
        made = subprocess.run([sys.executable, "-c", WORLD], env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=600)
        assert made.returncode == 0, made.stderr[-2000:]
        world = json.loads(made.stdout.strip().splitlines()[-1])
        data = {name: tmp_path / name for name in ("worker", "a", "b")}
        logs = {name: tmp_path / f"{name}.log" for name in data}
        port_a, port_b = _free_port(), _free_port()
        commands = {
            "worker": [*LVZHI, "worker", "--concurrency", "1"],
            "a": [sys.executable, "-m", "gunicorn", "lvzhi.wsgi:application", "--bind", f"127.0.0.1:{port_a}",
                  "--workers", "2", "--timeout", "300"],
            "b": [*LVZHI, "serve", "--port", str(port_b)],
        }
        for name, command in commands.items():
            data[name].mkdir()
            with logs[name].open("wb") as out:
                procs.append(subprocess.Popen(command, env={**env, "LVZHI_DATA_DIR": str(data[name])}, cwd=ROOT,
                                              stdout=out, stderr=subprocess.STDOUT))
        cluster = Cluster(f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}", data, logs, world, db, procs)
        _wait_http(f"{cluster.a}/login/", procs[1], logs["a"])
        _wait_http(f"{cluster.b}/login/", procs[2], logs["b"])
        deadline = time.monotonic() + WAIT
        while "ready" not in cluster.log("worker"):
            assert procs[0].poll() is None and time.monotonic() < deadline, cluster.log("worker")[-3000:]
            time.sleep(0.5)
        yield cluster
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        db.drop()


def _csrf(session: requests.Session) -> str:
    return str(session.cookies.get("csrftoken", ""))


def _login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    assert session.get(f"{base}/login/", timeout=60).status_code == 200
    response = session.post(f"{base}/login/", data={"username": username, "password": PASSWORD,
                                                    "csrfmiddlewaretoken": _csrf(session)},
                            allow_redirects=False, timeout=60)
    assert response.status_code == 302, response.text[:2000]
    return session


def _csv_rows(n: int) -> tuple[bytes, list[dict[str, str]]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = list(reader.fieldnames or [])
        rows = list(reader)[:n]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8"), rows


def _poll(session: requests.Session, url: str) -> list[dict[str, Any]]:
    """Every status answer of ``url`` until the job finishes (bounded)."""
    seen = []
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        response = session.get(url, timeout=60)
        assert response.status_code == 200, response.text[:1000]
        seen.append(response.json())
        if seen[-1]["finished"]:
            return seen
        time.sleep(0.3)
    raise AssertionError(f"{url} not finished within {WAIT} s: {seen[-3:]}")


def test_jobs_rate_limits_and_models_are_shared_by_processes_on_separate_directories(cluster: Cluster) -> None:
    council = cluster.world["council"]
    a = _login(cluster.a, cluster.world["staff"])
    # One login serves both: the session lives in the shared database, signed with the shared key.
    b = requests.Session()
    b.cookies.update({"sessionid": a.cookies["sessionid"]})

    # (a) An import started through A: queued, run by the worker, followed and finished as seen through B.
    body, rows = _csv_rows(60)
    with_category = {r["type"] for r in rows if r["type"].strip()}
    response = a.post(f"{cluster.a}/proposals/import/", data={"session": cluster.world["session"],
                                                             "csrfmiddlewaretoken": _csrf(a)},
                      files={"file": ("proposals.csv", body, "text/csv")}, allow_redirects=False, timeout=120)
    assert response.status_code == 302, response.text[:2000]
    job = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    seen = _poll(b, f"{cluster.b}/proposals/import/{job}/status/")
    final = seen[-1]
    assert final["status"] == "done", final
    assert (final["done"], final["total"], final["percent"]) == (60, 60, 100)
    assert "新建 60 件" in final["message"]
    assert [s["done"] for s in seen] == sorted(s["done"] for s in seen)  # progress only goes forward
    assert "lvzhi.run" in cluster.log("worker") and "succeeded" in cluster.log("worker")
    assert "lvzhi.run" not in cluster.log("a") + cluster.log("b")

    # (b) The portal allows 5 posts per address per 10 minutes (DEFAULT_RATE): 5 through A, the 6th through B
    # is refused — the count lives in Redis, not in either process.
    post = {"title": "小区路灯损坏", "body": "幸福路小区门口的路灯已经坏了两个星期，夜间出行很不方便，请尽快维修。"}
    for i in range(5):
        response = requests.post(f"{cluster.a}/api/opinions/portal/messages", json=post, timeout=60)
        assert response.status_code == 201, (i, response.text[:1000])
    response = requests.post(f"{cluster.b}/api/opinions/portal/messages", json=post, timeout=60)
    assert response.status_code == 429, response.text[:1000]
    assert "每 10 分钟最多提交 5 条" in response.json()["detail"]

    # (c) Retraining started through A is run by the worker; B, whose data directory holds no model, uses
    # the new proposal-category model (fetched from the database) for its suggestions.
    label = f"council-{council}/proposal-category/v1"
    local_b = cluster.data["b"] / "models" / f"council-{council}" / "proposal-category" / "v0001.joblib"
    assert not local_b.exists()
    response = a.post(f"{cluster.a}/smart/models/", data={"csrfmiddlewaretoken": _csrf(a)},
                      allow_redirects=False, timeout=120)
    assert response.status_code == 302, response.text[:2000]
    job = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    final = _poll(b, f"{cluster.b}/smart/jobs/{job}/status/")[-1]
    assert final["status"] == "done", final
    assert f"（{label}）：样本 60 条，类别 {len(with_category)} 个" in final["message"]
    with cluster.db.connect() as conn:
        proposal = conn.execute("SELECT id FROM proposals_proposal WHERE council_id = %s ORDER BY id LIMIT 1",
                                (council,)).fetchone()[0]
    response = b.get(f"{cluster.b}/api/smart/cases/proposal/{proposal}/suggestions", timeout=120)
    assert response.status_code == 200, response.text[:1000]
    categories = [r for r in response.json()["recommend"] if r["kind"] == "category"]
    assert categories and {r["model"] for r in categories} == {label}
    assert {r["label"] for r in categories} <= with_category
    assert local_b.is_file()
    assert not (cluster.data["a"] / "models" / f"council-{council}").exists()
