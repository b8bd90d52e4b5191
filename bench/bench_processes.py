"""Logged-in users on the inbox and proposal list: one waitress process (``lvzhi serve``, today's setup) against
gunicorn with 2 and 4 worker processes (the production setup, docs/deployment.md), in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres nice -n 10 python bench/bench_processes.py \\
        --clients 16 --seconds 20

Builds a throw-away deployment on the PostgreSQL server of ``DATABASE_URL`` (a new database, dropped at the end;
without ``DATABASE_URL`` an SQLite file, where several processes queue for the write lock of every page view's
session save — not how production runs): ``lvzhi setup``, a council built as the tests' ``build_world`` does, and
the 350 real proposals of ../shared/data imported into it. The 11 accounts of that council (members, staff,
leader, unit clerks and heads) log in through the login page once per server.

For each server: ``--clients`` threads, each with a logged-in session, request the inbox and the proposal list in
turn with no pause (a closed loop: the figure is the throughput ceiling) for ``--seconds`` after ``--warmup``
seconds of the same load (every worker process has imported and connected by then; gunicorn runs ``--preload``).
Prints requests/s, median and p95 latency (ms) and errors for each server and the ratios to the single waitress
process. Server and clients share this machine's cores, so compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / ".." / "shared" / "data" / "jszx2019-proposals" / "proposals.csv"
LVZHI = [sys.executable, "-m", "lvzhi.cli"]
PAGES = ["/", "/proposals/"]

WORLD = """
import json, django
django.setup()
from tests.conftest import build_world, PASSWORD
w = build_world("基准测试市政协")
print(json.dumps({"session": w.session.pk, "users": [u.username for u in w.users.values()], "password": PASSWORD}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(list(args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])}…: {done.stderr[-2000:]}")
    return done.stdout


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server for {url} exited")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def _login(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/login/", timeout=60)
    response = session.post(f"{base}/login/", data={"username": username, "password": password,
                                                    "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
                            allow_redirects=False, timeout=60)
    if response.status_code != 302:
        raise SystemExit(f"login of {username} failed: HTTP {response.status_code}")
    return session


def _load(base: str, sessions: list[requests.Session], clients: int, seconds: float,
          warmup: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + warmup + seconds
    measure_from = time.monotonic() + warmup  # the first requests of each process import and connect lazily

    def client(i: int) -> None:
        nonlocal errors
        session = sessions[i % len(sessions)]
        n = i
        while True:
            t0 = time.monotonic()
            if t0 >= stop:
                return
            try:
                ok = session.get(base + PAGES[n % len(PAGES)], timeout=60, allow_redirects=False).status_code == 200
            except requests.RequestException:
                ok = False
            t1 = time.monotonic()
            n += 1
            if t0 >= measure_from:
                with lock:
                    latencies.append(t1 - t0)
                    errors += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    return {"rps": len(latencies) / seconds, "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
            "p95": p95 * 1000, "errors": errors, "n": len(latencies)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16, help="concurrent logged-in clients (default 16)")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per server (default 20)")
    parser.add_argument("--workers", default="2,4", help="gunicorn worker counts to compare (default 2,4)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per gunicorn worker (default 1: sync workers; >1: gthread)")
    parser.add_argument("--warmup", type=float, default=10, help="unmeasured seconds of load first (default 10)")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    tmp = Path(tempfile.mkdtemp(prefix="lvzhi-bench-"))
    env = {**os.environ, "LVZHI_DATA_DIR": str(tmp), "PYTHONPATH": str(ROOT), "SECRET_KEY": secrets.token_urlsafe(40),
           "LOG_LEVEL": "WARNING", "ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "lvzhi.settings"}
    db_name = ""
    if base_url.startswith("postgres"):
        import psycopg

        db_name = f"lvzhi_bench_{uuid.uuid4().hex[:8]}"
        admin = base_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + "/" + db_name
    else:
        env.pop("DATABASE_URL", None)
        print("warning: no PostgreSQL DATABASE_URL — SQLite serialises the session writes of several processes")
    try:
        import json

        _run(env, *LVZHI, "setup")
        world = json.loads(_run(env, sys.executable, "-c", WORLD).strip().splitlines()[-1])
        _run(env, *LVZHI, "import-proposals", str(CSV), "--session", str(world["session"]))
        print(f"database: {'PostgreSQL' if db_name else 'SQLite'}; 350 proposals; {len(world['users'])} accounts; "
              f"{args.clients} clients × {args.seconds:.0f} s per server; pages {', '.join(PAGES)}")
        servers: list[tuple[str, list[str]]] = [("waitress, 1 process × 8 threads", [*LVZHI, "serve", "--port", "{port}"])]
        for w in (int(x) for x in args.workers.split(",") if x.strip()):
            servers.append((f"gunicorn, {w} workers × {args.threads} threads",
                            [sys.executable, "-m", "gunicorn", "lvzhi.wsgi:application", "--bind",
                             "127.0.0.1:{port}", "--workers", str(w), "--threads", str(args.threads), "--preload",
                             "--timeout", "120",
                             "--log-level", "warning"]))
        results: list[tuple[str, dict[str, float]]] = []
        for label, command in servers:
            port = _free_port()
            proc = subprocess.Popen([c.replace("{port}", str(port)) for c in command], env=env, cwd=ROOT,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                base = f"http://127.0.0.1:{port}"
                _wait(f"{base}/login/", proc)
                sessions = [_login(base, u, world["password"]) for u in world["users"]]
                figures = _load(base, sessions, args.clients, args.seconds, args.warmup)
            finally:
                proc.terminate()
                proc.wait(timeout=60)
            results.append((label, figures))
            print(f"{label:34s} {figures['rps']:7.1f} req/s   p50 {figures['p50']:7.1f} ms   "
                  f"p95 {figures['p95']:7.1f} ms   errors {int(figures['errors'])} of {int(figures['n'])}")
        base_fig = results[0][1]
        for label, figures in results[1:]:
            print(f"{label} vs waitress: throughput ×{figures['rps'] / base_fig['rps']:.2f}, "
                  f"p95 ×{figures['p95'] / base_fig['p95']:.2f}")
    finally:
        if db_name:
            import psycopg

            with psycopg.connect(base_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
