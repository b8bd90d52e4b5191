"""A process serving pages starts without scikit-learn or SciPy (issue "Production …", item 2): importing the
URLs and serving a plain page (the login page, the public portal) leaves ``sklearn`` and ``scipy`` out of
``sys.modules``; they are imported when a smart feature is first used (here: grouping near-duplicate comments
of a consultation, which needs the similarity engine).

Each check runs in a fresh interpreter (the test process itself has long imported everything), on the test
database of this run (committed rows: one council, whose portal is served).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.db import connection

from lvzhi.members import actions as org

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
import lvzhi.urls  # noqa: F401
from django.test import Client
from django.urls import resolve
resolve("/login/")
client = Client()
statuses = {path: client.get(path).status_code for path in ("/login/", "/portal/")}
heavy = ("sklearn", "scipy")
out = {"statuses": statuses, "after_pages": sorted(m for m in heavy if m in sys.modules)}

from lvzhi.legislation.models import Comment
from lvzhi.legislation.queries import group_near_duplicates
text = "建议在第三条中写明基层立法联系点的职责和经费保障，并规定每年向社会公开工作情况。"
comments = [Comment(text=text, provision_id=1), Comment(text=text + "谢谢。", provision_id=1),
            Comment(text="完全不同的另一条意见：关于罚款数额。", provision_id=1)]
out["groups"] = [g.size for g in group_near_duplicates(comments)]
out["after_smart_use"] = sorted(m for m in heavy if m in sys.modules)
print(json.dumps(out))
"""


def _database_url() -> str:
    """The URL of this run's test database (SQLite file or PostgreSQL), for the child process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def test_pages_are_served_without_scikit_learn_or_scipy(transactional_db: Any) -> None:
    org.create_council(None, name="测试市政协", short_name="测试")  # committed: the child process sees it
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lvzhi.settings", "DATABASE_URL": _database_url(),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["statuses"] == {"/login/": 200, "/portal/": 200}
    assert out["after_pages"] == []
    # first use of a smart feature: the two comments that differ by a closing "谢谢。" form one group
    assert out["groups"] == [2, 1]
    assert out["after_smart_use"] == ["scipy"]
