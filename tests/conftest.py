"""Shared fixtures: a small council built through the real action functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from lvzhi.members import actions as org
from lvzhi.members.choices import OrganisationKind, Role
from lvzhi.members.models import Council, HandlingUnit, Member, Session
from lvzhi.proposals.models import Category
from tests.deployments import deployments  # noqa: F401 (a fixture: throw-away deployments run as an operator would)
from tests.mailservers import gateway, smtp  # noqa: F401 (fixtures: a real local SMTP server and SMS gateway)

PASSWORD = "Lvzhi-test-2026"


@dataclass
class World:
    council: Council
    session: Session
    units: list[HandlingUnit]
    members: list[Member]
    categories: list[Category]
    users: dict[str, Any]

    def user(self, name: str) -> Any:
        return self.users[name]


def build_world(name: str = "测试市政协") -> World:
    council = org.create_council(None, name=name, short_name=name[:4])
    today = timezone.localdate()
    term = org.create_term(None, council, number=14, start_date=today - timedelta(days=800))
    session = org.create_session(None, term, number=3, window_start=today - timedelta(days=10),
                                 plenary_start=today - timedelta(days=3), plenary_end=today + timedelta(days=2))
    sector = org.get_or_create_organisation(None, council, OrganisationKind.SECTOR, "经济界")
    party = org.get_or_create_organisation(None, council, OrganisationKind.PARTY_GROUP, "民盟市委会")
    members = [org.save_member(None, council, term, name=n, sector=sector, party_group=party if i == 0 else None)
               for i, n in enumerate(["张三", "李四", "王五"])]
    units = [org.save_unit(None, council, name=n) for n in ["市发展和改革局", "市交通运输局", "市教育局"]]
    categories = [Category.objects.create(council=council, name=n, order=i)
                  for i, n in enumerate(["经济建设", "社会事业"])]
    users: dict[str, Any] = {}
    for i, m in enumerate(members):
        users[f"member{i}"] = org.create_account(None, username=f"{name}-m{i}", password=PASSWORD,
                                                 role=Role.MEMBER, council=council, member=m)
    users["staff"] = org.create_account(None, username=f"{name}-staff", password=PASSWORD, role=Role.STAFF,
                                        council=council)
    users["leader"] = org.create_account(None, username=f"{name}-leader", password=PASSWORD, role=Role.LEADER,
                                         council=council)
    for i, u in enumerate(units):
        users[f"clerk{i}"] = org.create_account(None, username=f"{name}-c{i}", password=PASSWORD,
                                                role=Role.UNIT_CLERK, council=council, unit=u)
        users[f"head{i}"] = org.create_account(None, username=f"{name}-h{i}", password=PASSWORD,
                                               role=Role.UNIT_LEADER, council=council, unit=u)
    return World(council, session, units, members, categories, users)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture(autouse=True)
def _rename_states() -> Any:
    """Under ``LVZHI_RENAME_STATES=1`` (tests/states.py) every default workflow installed during a test has
    each state re-coded and renamed at once."""
    from lvzhi.workflow.defaults import workflow_installed
    from tests.states import RENAMING, rename_states

    if not RENAMING:
        yield
        return
    workflow_installed.connect(rename_states, dispatch_uid="tests-rename-states")
    yield
    workflow_installed.disconnect(dispatch_uid="tests-rename-states")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Tests create many accounts; the production hasher (PBKDF2) is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _queue_worker(request: pytest.FixtureRequest) -> Any:
    """With ``LVZHI_REDIS_URL`` set (the queue step of .ci/run), background jobs go to Celery on Redis: start
    one real ``lvzhi worker`` on the test database for the session, on a queue of its own. Without it (the
    embedded default) jobs run in threads of the test process and nothing is started."""
    import os

    if not os.environ.get("LVZHI_REDIS_URL"):
        yield None
        return
    import subprocess
    import sys
    import time
    import uuid

    from django.conf import settings
    from django.db import connection

    request.getfixturevalue("django_db_setup")  # the test database exists from here on
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        url = f"sqlite:///{db['NAME']}"
    queue = f"lvzhi-tests-{uuid.uuid4().hex[:8]}"
    settings.LVZHI_QUEUE_NAME = queue  # read when lvzhi.core.queue is first imported
    log = settings.DATA_DIR / f"worker-{os.getpid()}.log"
    env = {**os.environ, "DATABASE_URL": url, "LVZHI_QUEUE": queue, "PYTHONPATH": str(settings.BASE_DIR.parent)}
    with log.open("wb") as out:
        worker = subprocess.Popen([sys.executable, "-m", "lvzhi.cli", "worker", "--concurrency", "1"], env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    while "ready" not in log.read_text("utf-8", "replace"):
        assert worker.poll() is None and time.monotonic() < deadline, log.read_text("utf-8", "replace")[-3000:]
        time.sleep(0.5)
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
