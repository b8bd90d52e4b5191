"""The README's first command on a fresh data directory: ``lvzhi setup && lvzhi demo && lvzhi serve``.

Runs the real console commands as subprocesses with their own SQLite file in a temporary ``LVZHI_DATA_DIR``
(never the test database), then talks HTTP to the waitress server: the login page, a static file with
``DEBUG=0``, and a demo account signing in.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import lvzhi

STATIC_FILE = Path(lvzhi.__file__).parent / "static" / "css" / "lvzhi.css"


def _command() -> list[str]:
    script = Path(sys.executable).parent / "lvzhi"
    return [str(script)] if script.exists() else [sys.executable, "-m", "lvzhi.cli"]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PORT")}
    env.update(LVZHI_DATA_DIR=str(data_dir), DEBUG="0")
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(opener: Any, url: str, data: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=10) as response:
            return response.status, response.geturl(), response.read()
    except urllib.error.HTTPError as err:
        return err.code, url, err.read()


@pytest.fixture
def served(tmp_path: Path) -> Any:
    env = _env(tmp_path)
    for step in (["setup"], ["demo"]):
        done = subprocess.run([*_command(), *step], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        if step == ["demo"]:
            assert re.search(r"demo-staff\s+Qiaodu-Tian-2024", done.stdout), done.stdout
    port = _free_port()
    server = subprocess.Popen([*_command(), "serve"], env={**env, "PORT": str(port)}, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/login/", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"lvzhi serve did not answer: {server.communicate()[0][-3000:]}")
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        shutil.rmtree(tmp_path / "static", ignore_errors=True)


def test_setup_demo_serve_chain_serves_pages_static_files_and_logins(served: str) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    status, _url, page = _get(opener, f"{served}/login/")
    assert status == 200 and "登录".encode() in page
    status, _url, css = _get(opener, f"{served}/static/css/lvzhi.css")
    assert status == 200 and css == STATIC_FILE.read_bytes()  # WhiteNoise with DEBUG=0, no collectstatic
    status, _url, _ = _get(opener, f"{served}/static/admin/css/base.css")
    assert status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    status, url, inbox = _get(opener, f"{served}/login/", {"csrfmiddlewaretoken": token.group(1).decode(),
                                                          "username": "demo-staff", "password": "Qiaodu-Tian-2024"})
    assert status == 200 and not url.endswith("/login/"), inbox.decode()[:500]
    status, _url, _ = _get(opener, f"{served}/proposals/import/")
    assert status == 200


def test_serve_refuses_a_bad_port_and_an_unmigrated_database(tmp_path: Path) -> None:
    env = _env(tmp_path)
    done = subprocess.run([*_command(), "serve", "--port", "70000"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0 and "端口号须在 1–65535 之间" in done.stderr
    done = subprocess.run([*_command(), "serve", "--port", str(_free_port())], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0 and "lvzhi setup" in done.stderr


@pytest.mark.django_db
def test_jobs_cut_off_by_a_restart_are_marked_failed() -> None:
    from lvzhi.core.management.commands.serve import _fail_abandoned_jobs
    from lvzhi.core.models import Job

    running = Job.objects.create(kind="import_proposals", status=Job.Status.RUNNING, total=10, done=3)
    done = Job.objects.create(kind="export", status=Job.Status.DONE)
    assert _fail_abandoned_jobs() == 1
    running.refresh_from_db()
    done.refresh_from_db()
    assert running.status == Job.Status.FAILED and "重新发起" in running.message
    assert done.status == Job.Status.DONE
