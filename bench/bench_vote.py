"""The deputies' vote on livelihood projects under load, and the count (issue 7 "A benchmark, not a test").

    .venv/bin/python bench/bench_vote.py --deputies 1000 --candidates 20 --places 10 --concurrency 20
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/votes .venv/bin/python bench/bench_vote.py   # PostgreSQL

Sets up a fresh database (a temporary SQLite file unless ``DATABASE_URL`` names an existing, EMPTY
PostgreSQL database: it is migrated and filled), a people's congress with ``--deputies`` deputies, each
with an account and an API token, and a vote on ``--candidates`` candidates for ``--places`` places. Then:

1. Starts the real server as production runs it (``lvzhi serve``: one waitress process, 8 threads — the
   several-process setup is not in place yet, so this measures what exists) and has every deputy cast a
   ballot through ``POST /api/livelihood/votes/{id}/ballot`` over HTTP, ``--concurrency`` at a time:
   ballots/s, latency p50/p95/p99, errors (anything but 201), and whether it all fits in one minute.
2. Baseline in the same run: the same number of ballots on a second vote calling
   :func:`lvzhi.livelihood.actions.cast_ballot` directly in this process (no HTTP, one at a time); the
   HTTP figure is printed as a ratio to it.
3. Closes the HTTP vote through ``POST …/close`` (which counts in the database) and times the count of
   ``deputies`` ballots × ``candidates`` three ways: the pure counting code on ballots in memory, reading
   and counting the same ballots from a tally workbook (what ``lvzhi count-votes`` does), and the
   database count (:func:`lvzhi.livelihood.actions.tally_of`).

Targets from the issue: p95 < 300 ms, 0 errors, count < 1 s. Timings are wall-clock: compare runs on the
same machine only (the bench machine is shared; say what else ran).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup_django(data_dir: Path) -> str:
    os.environ["LVZHI_DATA_DIR"] = str(data_dir)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "lvzhi.settings"
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    # Setting up 1,000 accounts: a fast hasher here (the server under test checks API tokens, not passwords).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _random_marks(codes: list[str], places: int, rng: random.Random) -> dict[str, str]:
    """A plausible ballot: 赞成 for up to ``places`` of the ``places + 2`` favoured candidates, the rest
    反对/弃权/empty at random (so some candidates pass, some are ranked out, ties are possible)."""
    yes = set(rng.sample(codes[:places + 2], places - rng.randint(0, 2)))
    return {c: "赞成" if c in yes else rng.choice(["反对", "弃权", ""]) for c in codes}


def build(deputies: int, candidates: int, places: int) -> dict[str, Any]:
    from django.utils import timezone

    from lvzhi.core.api_auth import issue_token
    from lvzhi.livelihood import actions as act
    from lvzhi.members import actions as org
    from lvzhi.members.choices import CouncilKind, Role

    council = org.create_council(None, name="基准测试市人大常委会", kind=CouncilKind.NPC)
    term = org.create_term(None, council, number=16, start_date=timezone.localdate().replace(year=2022))
    staff = org.create_account(None, username="bench-staff", password="x", role=Role.STAFF, council=council,
                               check_password=False)
    leader = org.create_account(None, username="bench-leader", password="x", role=Role.LEADER, council=council,
                                check_password=False)
    users = []
    for i in range(deputies):
        member = org.save_member(None, council, term, name=f"代表{i:04d}")
        users.append(org.create_account(None, username=f"bench-d{i}", password="x", role=Role.MEMBER,
                                        council=council, member=member, check_password=False))
    items = [act.CandidateInput(title=f"民生实事候选项目{i + 1:02d}", investment=1000 + i) for i in range(candidates)]
    votes = []
    for title in ("HTTP 票决", "基线票决"):
        vote = act.create_vote(staff, council, title=title, places=places, electorate=deputies, candidates=items)
        act.approve_list(staff, vote)
        act.open_vote(leader, vote)
        votes.append(vote)
    keys = [issue_token(u, name="bench")[1] for u in users]
    leader_key = issue_token(leader, name="bench")[1]
    codes = list(votes[0].candidates.order_by("code").values_list("code", flat=True))
    return {"users": users, "keys": keys, "leader_key": leader_key, "votes": votes, "codes": codes}


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    lvzhi = str(Path(sys.executable).parent / "lvzhi")
    proc = subprocess.Popen([lvzhi, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("服务器未能在 60 秒内启动：" + (proc.stderr.read().decode() if proc.stderr else ""))


def post(url: str, key: str, body: dict[str, Any] | None = None) -> tuple[int, float, bytes]:
    data = json.dumps(body or {}).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        payload, status = error.read(), error.code
    except OSError as error:
        payload, status = str(error).encode(), 0
    return status, time.perf_counter() - start, payload


def run(args: argparse.Namespace) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="lvzhi-bench-vote-"))
    db = _setup_django(data_dir)
    from openpyxl import Workbook

    from lvzhi.livelihood import actions as act
    from lvzhi.livelihood.counting import count_votes
    from lvzhi.livelihood.tally import read_tally

    t0 = time.perf_counter()
    world = build(args.deputies, args.candidates, args.places)
    print(f"数据库：{db.split('@')[-1]}；准备 {args.deputies} 名代表及令牌用时 {time.perf_counter() - t0:.1f} 秒")
    rng = random.Random(7)
    codes = world["codes"]
    ballots = [_random_marks(codes, args.places, rng) for _ in range(args.deputies)]
    http_vote, base_vote = world["votes"]

    port = _free_port()
    server = start_server(port)
    try:
        url = f"http://127.0.0.1:{port}/api/livelihood/votes/{http_vote.pk}"
        post(f"{url}/ballot", world["leader_key"], {"marks": {}})  # warm-up (a 403: not a deputy)
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(lambda i: post(f"{url}/ballot", world["keys"][i], {"marks": ballots[i]}),
                                    range(args.deputies)))
        http_seconds = time.perf_counter() - start
        status, close_seconds, payload = post(f"{url}/close", world["leader_key"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = [r[1] * 1000 for r in results]
    errors = [r for r in results if r[0] != 201]

    start = time.perf_counter()
    for i in range(args.deputies):
        act.cast_ballot(world["users"][i], base_vote, ballots[i])
    base_seconds = time.perf_counter() - start

    rows = [[ballot.get(c) or None for c in codes] for ballot in ballots]
    start = time.perf_counter()
    count = count_votes(codes, rows, places=args.places, electorate=args.deputies)
    pure_seconds = time.perf_counter() - start
    wb = Workbook()
    wb.active.append(["选票编号", *codes])
    for i, row in enumerate(rows, start=1):
        wb.active.append([i, *row])
    path = data_dir / "tally.xlsx"
    wb.save(path)
    start = time.perf_counter()
    tally = read_tally(path)
    count_votes(tally.codes, tally.ballots, places=args.places, electorate=args.deputies)
    workbook_seconds = time.perf_counter() - start
    http_vote.refresh_from_db()
    start = time.perf_counter()
    db_count = act.tally_of(http_vote)
    db_seconds = time.perf_counter() - start

    figures = {
        "ballots_per_s": args.deputies / http_seconds, "p50_ms": statistics.median(latencies),
        "p95_ms": _percentile(latencies, 95), "p99_ms": _percentile(latencies, 99), "errors": len(errors),
        "http_seconds": http_seconds, "baseline_per_s": args.deputies / base_seconds,
        "close_and_count_ms": close_seconds * 1000, "count_pure_ms": pure_seconds * 1000,
        "count_workbook_ms": workbook_seconds * 1000, "count_db_ms": db_seconds * 1000,
    }
    n, c = args.deputies, args.candidates
    print(f"HTTP 投票（lvzhi serve，1 个进程 × 8 线程；并发 {args.concurrency}）：{n} 张选票用时 {http_seconds:.1f} 秒"
          f"（{'在' if http_seconds <= 60 else '超出'}一分钟内），{figures['ballots_per_s']:.0f} 张/秒")
    print(f"  延迟 p50 {figures['p50_ms']:.0f} ms，p95 {figures['p95_ms']:.0f} ms，p99 {figures['p99_ms']:.0f} ms；"
          f"错误 {len(errors)} 个" + (f"（例：{errors[0][0]} {errors[0][2][:120]!r}）" if errors else ""))
    print(f"基线（进程内直接调用 cast_ballot，逐张）：{figures['baseline_per_s']:.0f} 张/秒；"
          f"HTTP / 基线 = {figures['ballots_per_s'] / figures['baseline_per_s']:.2f}")
    print(f"结束并计票（POST …/close，HTTP {status}）：{figures['close_and_count_ms']:.0f} ms")
    print(f"计票 {n} 张 × {c} 个候选项目：纯计票代码 {figures['count_pure_ms']:.1f} ms；"
          f"读计票表 xlsx 并计票 {figures['count_workbook_ms']:.0f} ms；从数据库计票 {figures['count_db_ms']:.0f} ms")
    same = db_count.as_json() == json.loads(payload)["result"] if status == 200 else False
    print(f"核对：数据库计票与 close 返回的结果{'一致' if same else '不一致'}；有效票 {count.valid}，当选 {len(count.elected)} 项")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deputies", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--places", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=20)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
