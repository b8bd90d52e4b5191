"""Throughput of the JSON API against the action functions it wraps, measured in one run.

    .venv/bin/python bench/bench_api.py --n 1000

Sets up a fresh SQLite database in a temporary directory (``LVZHI_DATA_DIR`` and ``DATABASE_URL`` are set
before ``django.setup()``; ``migrate`` runs), builds a council the way the tests' ``build_world`` does (through
the real actions), then in one process:

1. API: ``N`` × ``POST /api/proposals`` (create a draft) with a member's bearer token, then ``N`` ×
   ``POST /api/proposals/{id}/submit`` (one workflow transition each), through ``django.test.Client`` — the
   whole Django stack (middleware, auth, ninja parsing and validation, serialisation) without a socket;
2. baseline: the same ``N`` creations and submissions calling ``lvzhi.proposals.actions`` directly;
3. ``GET /api/proposals?limit=50`` repeated, as a read figure.

Prints proposals/s and transitions/s for both, and the API's overhead as a ratio to the baseline (a
ratio, not a percentage: 1.25 means the API call takes 1.25 times as long as the bare action). Timings are
wall-clock, so compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup_django(data_dir: Path) -> None:
    os.environ["LVZHI_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "lvzhi.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def run(n: int, list_requests: int) -> dict[str, float]:
    """Run the benchmark with ``n`` proposals per phase; returns the measured rates (per second) and ratios."""
    sys.path.insert(0, str(ROOT))
    from django.test import Client

    from lvzhi.core.api_auth import issue_token
    from lvzhi.proposals import actions as act
    from tests.conftest import build_world

    world = build_world("基准测试市政协")
    member = world.user("member0")
    _, key = issue_token(member, name="bench")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    body: dict[str, Any] = {"session": world.session.pk, "title": "", "situation": "现状说明", "analysis": "原因分析",
            "suggestions": "一、加强统筹；二、加大投入；三、完善考核。"}

    def post(path: str, data: dict[str, Any], expect: int) -> dict[str, Any]:
        response = client.post(path, data, content_type="application/json")
        if response.status_code != expect:
            raise SystemExit(f"{path}: HTTP {response.status_code} {response.content[:300]!r}")
        return response.json()  # type: ignore[no-any-return]

    # warm-up: the first request imports and compiles lazily; keep it out of the figures
    warm = post("/api/proposals", {**body, "title": "关于预热的建议"}, 201)
    post(f"/api/proposals/{warm['id']}/submit", {"version": warm["version"]}, 200)

    created: list[tuple[int, int]] = []
    start = time.perf_counter()
    for i in range(n):
        p = post("/api/proposals", {**body, "title": f"关于城市更新第{i}项工作的建议"}, 201)
        created.append((p["id"], p["version"]))
    api_create = time.perf_counter() - start

    start = time.perf_counter()
    for pk, version in created:
        post(f"/api/proposals/{pk}/submit", {"version": version}, 200)
    api_submit = time.perf_counter() - start

    start = time.perf_counter()
    for _ in range(list_requests):
        response = client.get("/api/proposals", {"limit": 50})
        assert response.status_code == 200
    api_list = time.perf_counter() - start

    direct: list[int] = []
    start = time.perf_counter()
    for i in range(n):
        draft = act.create_proposal(member, session=world.session, title=f"关于乡村振兴第{i}项工作的建议",
                                situation=body["situation"], analysis=body["analysis"],
                                suggestions=body["suggestions"], source="api")
        direct.append(draft.pk)
    base_create = time.perf_counter() - start

    start = time.perf_counter()
    for pk in direct:
        act.submit_proposal(member, pk)
    base_submit = time.perf_counter() - start

    return {
        "api_proposals_per_s": _rate(n, api_create), "api_transitions_per_s": _rate(n, api_submit),
        "base_proposals_per_s": _rate(n, base_create), "base_transitions_per_s": _rate(n, base_submit),
        "create_ratio": api_create / base_create, "transition_ratio": api_submit / base_submit,
        "list_requests_per_s": _rate(list_requests, api_list),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="proposals created and submitted per phase")
    parser.add_argument("--list-requests", type=int, default=50, help="GET /api/proposals requests timed")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    with tempfile.TemporaryDirectory(prefix="lvzhi-bench-api-") as tmp:
        _setup_django(Path(tmp))
        r = run(args.n, args.list_requests)
    out = sys.stdout
    out.write(f"N = {args.n} (SQLite in a temporary directory, one process, django.test.Client)\n")
    out.write(f"API      create draft   {r['api_proposals_per_s']:9.1f} proposals/s\n")
    out.write(f"API      submit         {r['api_transitions_per_s']:9.1f} transitions/s\n")
    out.write(f"actions  create draft   {r['base_proposals_per_s']:9.1f} proposals/s   (baseline)\n")
    out.write(f"actions  submit         {r['base_transitions_per_s']:9.1f} transitions/s (baseline)\n")
    out.write(f"API time / action time: create {r['create_ratio']:.2f}x, submit {r['transition_ratio']:.2f}x\n")
    out.write(f"API      list (50 rows) {r['list_requests_per_s']:9.1f} requests/s\n")


if __name__ == "__main__":
    main()
