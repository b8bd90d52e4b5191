"""A throw-away lvzhi deployment for tests that run the installed command as an operator would: its own data
directory and its own database (an SQLite file in it, or a new PostgreSQL database beside the suite's when
DATABASE_URL is set), read back with the database driver alone."""

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
# CREATE/DROP DATABASE go through the server's maintenance database: the suite's own database name need not
# exist (pytest-django works in "test_<name>").
PG_ADMIN = PG_BASE.rsplit("/", 1)[0] + "/postgres" if ON_PG else ""
LVZHI = [sys.executable, "-m", "lvzhi.cli"]


class Deployment:
    """One deployment: its own data directory and its own database (an SQLite file in it, or a new PG db)."""

    def __init__(self, tmp: Path, name: str) -> None:
        self.data = tmp / name
        self.data.mkdir()
        self.env = {**os.environ, "LVZHI_DATA_DIR": str(self.data), "PYTHONPATH": str(Path.cwd())}
        self.env.pop("DATABASE_URL", None)
        self.env.pop("PYTEST_XDIST_WORKER", None)  # else settings would move the data directory one level down
        self.pg_name = ""
        if ON_PG:
            import psycopg

            self.pg_name = f"lvzhi_bk_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_name}"')
            self.env["DATABASE_URL"] = PG_BASE.rsplit("/", 1)[0] + "/" + self.pg_name

    command = LVZHI

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
                for p in walk_files(self.data / "media") | walk_files(self.data / "models")}

    def drop(self) -> None:
        if self.pg_name:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def walk_files(root: Path) -> set[Path]:
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
