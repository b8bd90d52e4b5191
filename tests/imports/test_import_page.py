"""The import page: upload, background job with progress polling, summary; bad files; who may use it."""

from __future__ import annotations

import csv
import io
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import resolve, reverse

from lvzhi.core.models import Job
from lvzhi.proposals.models import Proposal
from tests.conftest import build_world

# The real data sets beside the project (../shared/data from the project root).
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
CSV_PATH = SHARED_DATA / "jszx2019-proposals" / "proposals.csv"


def _upload(n: int, *, drop: tuple[str, ...] = (), encoding: str = "utf-8") -> SimpleUploadedFile:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        columns = [c for c in reader.fieldnames or [] if c not in drop]
        rows = list(reader)[:n]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("proposals.csv", out.getvalue().encode(encoding), content_type="text/csv")


def _login(client: Any, user: Any) -> Any:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def shared_cache_safe(settings: Any) -> None:
    """On SQLite the test database lives in memory with a shared cache, where a connection meets "database
    table is locked" instead of waiting for another one's write (a file database, as deployed, waits: busy
    timeout 30 s). There the requests keep their session in a signed cookie (no write after the job's thread
    has started) and the test lets the thread finish before touching the database again."""
    if connection.vendor == "sqlite":
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"


def _job_pk(response: Any) -> int:
    assert response.status_code == 302, response.content.decode()[:2000]
    return int(resolve(response["Location"]).kwargs["pk"])


def _wait(client: Any, job_pk: int, seconds: float = 120) -> dict[str, Any]:
    """Poll the status view until the job finishes (bounded wait); on SQLite (see
    :func:`shared_cache_safe`) first let the job's thread finish. PostgreSQL polls while the job runs."""
    url = reverse("proposal-import-status", args=[job_pk])
    deadline = time.monotonic() + seconds
    seen: list[int] = []
    if connection.vendor == "sqlite":
        for thread in threading.enumerate():
            if thread.name.startswith("lvzhi-"):  # the background task threads (lvzhi.core.tasks)
                thread.join(timeout=seconds)
                assert not thread.is_alive(), f"import job {job_pk} did not finish within {seconds} s"
    while time.monotonic() < deadline:
        status = client.get(url).json()
        seen.append(status["done"])
        if status["finished"]:
            status["seen"] = seen
            return status
        time.sleep(0.2)
    raise AssertionError(f"import job {job_pk} did not finish within {seconds} s: {seen[-5:]}")


@pytest.mark.django_db(transaction=True)
def test_upload_runs_a_background_job_with_progress_then_summary(client: Any, shared_cache_safe: None) -> None:
    world = build_world()
    staff = _login(client, world.user("staff"))
    page = staff.get(reverse("proposal-import"))
    assert page.status_code == 200 and str(world.session) in page.content.decode()

    response = staff.post(reverse("proposal-import"), {"session": world.session.pk, "file": _upload(30)})
    job_pk = _job_pk(response)
    status = _wait(staff, job_pk)
    job = Job.objects.get()
    assert response["Location"] == reverse("proposal-import-job", args=[job.pk])
    assert (job.kind, job.total, job.council_id, job.created_by_id) == ("import_proposals", 30,
                                                                        world.council.pk, world.user("staff").pk)
    assert status["status"] == "done", status
    assert (status["done"], status["total"], status["percent"]) == (30, 30, 100)
    assert status["seen"] == sorted(status["seen"])  # progress only goes forward
    assert "新建 30 件" in status["message"]
    assert Proposal.objects.filter(session=world.session, source="import").count() == 30
    job_page = staff.get(response["Location"])
    assert job_page.status_code == 200 and b"<progress" in job_page.content
    assert "新建 30 件" in job_page.content.decode()

    # The same file again, in GB18030: a second job that skips everything.
    response = staff.post(reverse("proposal-import"), {"session": world.session.pk,
                                                       "file": _upload(30, encoding="gb18030")})
    status = _wait(staff, _job_pk(response))
    assert status["status"] == "done" and "跳过 30 件" in status["message"]
    assert Proposal.objects.filter(session=world.session).count() == 30


@pytest.mark.django_db(transaction=True)
def test_bad_file_is_shown_on_the_page_and_nothing_is_imported(client: Any, shared_cache_safe: None) -> None:
    world = build_world()
    staff = _login(client, world.user("staff"))
    response = staff.post(reverse("proposal-import"), {"session": world.session.pk,
                                                       "file": _upload(5, drop=("reason", "content"))})
    assert response.status_code == 400
    assert "缺少列：reason、content" in response.content.decode()
    response = staff.post(reverse("proposal-import"), {"session": world.session.pk,
                                                       "file": SimpleUploadedFile("x.csv", bytes(range(256)) * 8)})
    assert response.status_code == 400 and "二进制文件" in response.content.decode()
    response = staff.post(reverse("proposal-import"), {"session": "", "file": _upload(2)})
    assert response.status_code == 400 and "请选择要导入到的会议" in response.content.decode()
    assert not Job.objects.exists() and not Proposal.objects.exists()


@pytest.mark.django_db
def test_only_staff_of_the_council_see_the_page_and_its_jobs(client: Any) -> None:
    world = build_world()
    other = build_world("另一市政协")
    job = Job.objects.create(kind="import_proposals", council=world.council, created_by=world.user("staff"), total=3)
    for user in (world.user("member0"), world.user("clerk0"), world.user("leader")):
        _login(client, user)
        assert client.get(reverse("proposal-import")).status_code == 404
        assert client.get(reverse("proposal-import-status", args=[job.pk])).status_code == 404
    _login(client, other.user("staff"))
    assert client.get(reverse("proposal-import-job", args=[job.pk])).status_code == 404
    page = client.get(reverse("proposal-import"))
    assert str(world.session) not in page.content.decode()  # sessions of other councils are not offered
    response = client.post(reverse("proposal-import"), {"session": world.session.pk, "file": _upload(2)})
    assert response.status_code == 400 and not Proposal.objects.exists()
    client.logout()
    assert client.get(reverse("proposal-import")).status_code == 302  # to the login page
