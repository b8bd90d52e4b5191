"""``lvzhi backup`` and ``lvzhi restore`` on real deployments, run as an operator would (the installed command in
subprocesses), on the database the suite runs on (SQLite, or PostgreSQL when DATABASE_URL is set).

The round trip: a deployment with the demo (councils, accounts, cases, attachments, models) is backed up; then its
data changes (a title edited, an attachment file removed); the archive is restored into a new, empty deployment;
every row of every table and every file there must equal the deployment as it was at backup time — read with
plain sqlite3/psycopg and file hashes, not with the code under test. Restoring over a deployment that holds data,
or from the other database vendor, or a file that is not an archive, is refused with exit code 2 and nothing
changes.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PG_BASE = os.environ.get("DATABASE_URL", "")
ON_PG = PG_BASE.startswith("postgres")
LVZHI = [sys.executable, "-m", "lvzhi.cli"]


class Deployment:
    """One deployment: its own data directory and its own database (an SQLite file in it, or a new PG db)."""

    def __init__(self, tmp: Path, name: str) -> None:
        self.data = tmp / name
        self.data.mkdir()
        self.env = {**os.environ, "LVZHI_DATA_DIR": str(self.data), "PYTHONPATH": str(Path.cwd())}
        self.env.pop("DATABASE_URL", None)
        self.pg_name = ""
        if ON_PG:
            import psycopg

            self.pg_name = f"lvzhi_bk_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(PG_BASE, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_name}"')
            self.env["DATABASE_URL"] = PG_BASE.rsplit("/", 1)[0] + "/" + self.pg_name

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*LVZHI, *args], env=self.env, capture_output=True, text=True, timeout=600)
        if check:
            assert done.returncode == 0, done.stderr[-2000:]
        return done

    def connect(self) -> Any:
        if ON_PG:
            import psycopg

            return psycopg.connect(self.env["DATABASE_URL"])
        return sqlite3.connect(self.data / "lvzhi.sqlite3")

    def tables(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, sorted, read with the database driver alone."""
        conn = self.connect()
        try:
            cur = conn.cursor()
            if ON_PG:
                cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
            else:
                cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            names = sorted(r[0] for r in cur.fetchall())
            out = {}
            for name in names:
                cur.execute(f'SELECT * FROM "{name}"')
                out[name] = sorted(cur.fetchall(), key=repr)
            return out
        finally:
            conn.close()

    def files(self) -> dict[str, str]:
        return {p.relative_to(self.data).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in _walk(self.data / "media") | _walk(self.data / "models")}

    def drop(self) -> None:
        if self.pg_name:
            import psycopg

            with psycopg.connect(PG_BASE, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def _walk(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")} if root.is_dir() else set()


@pytest.fixture
def deployments(tmp_path: Path) -> Iterator[Any]:
    made: list[Deployment] = []

    def make(name: str) -> Deployment:
        made.append(Deployment(tmp_path, name))
        return made[-1]

    yield make
    for d in made:
        d.drop()


def test_backup_then_change_then_restore_gives_back_every_row_and_file(deployments: Any, tmp_path: Path) -> None:
    source = deployments("source")
    source.run("setup")
    source.run("demo")
    before_rows, before_files = source.tables(), source.files()
    assert before_files, "the demo writes trained models (and attachments): the backup must carry files"
    archive = tmp_path / "backups" / "lvzhi.tar.gz"
    out = source.run("backup", str(archive)).stdout
    assert archive.is_file() and "已备份" in out

    # the source changes after the backup: a proposal retitled, a file lost
    conn = source.connect()
    conn.cursor().execute("UPDATE proposals_proposal SET title = 'changed after backup'")
    conn.commit()
    conn.close()
    (source.data / sorted(before_files)[0]).unlink()
    assert source.tables() != before_rows

    target = deployments("target")
    target.run("setup")  # an operator prepares the empty deployment first; restore accepts it
    out = target.run("restore", str(archive)).stdout
    assert "已恢复" in out
    after_rows = target.tables()
    assert set(after_rows) == set(before_rows)
    for table, rows in before_rows.items():
        assert after_rows[table] == rows, table
    assert target.files() == before_files
    # the signing key came along (sessions and signed links stay valid)
    assert (target.data / "secret_key").read_text() == (source.data / "secret_key").read_text()
    # and the restored deployment works through Django: a demo account's password checks
    check = target.run("shell", "-c", "from django.contrib.auth.models import User;"
                       "print(User.objects.get(username='demo-staff').check_password('Qiaodu-Tian-2024'))")
    assert check.stdout.strip().splitlines()[-1] == "True"

    # restoring again over data is refused, with exit code 2, and changes nothing
    refused = target.run("restore", str(archive), check=False)
    assert refused.returncode == 2 and "不是空的" in refused.stderr
    assert target.tables() == after_rows


def test_restore_refuses_what_is_not_an_archive(deployments: Any, tmp_path: Path) -> None:
    target = deployments("target")
    target.run("setup")
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar file")
    done = target.run("restore", str(junk), check=False)
    assert done.returncode == 2 and "不是 lvzhi 的备份文件" in done.stderr
    missing = target.run("restore", str(tmp_path / "none.tar.gz"), check=False)
    assert missing.returncode == 2 and "找不到备份文件" in missing.stderr
