"""Backup and restore of a whole deployment: ``lvzhi backup PATH`` and ``lvzhi restore PATH``.

An archive is one ``.tar.gz`` holding:

- ``manifest.json``: format version, when and from which database vendor it was made, the Django migrations
  applied, the number of rows per table (checked after a restore), the files included with their SHA-256;
- ``database.sqlite3`` (SQLite: a consistent copy made with SQLite's online backup API, safe while the server
  runs and writes) or ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``, one consistent snapshot);
- ``media/``: uploaded attachments (``MEDIA_ROOT``);
- ``models/``: the trained similar-case and classification models (:func:`lvzhi.smart.store.models_dir`);
- ``secret_key``: the signing key when it lives in the data directory (signed links and sessions stay valid);
  a key given by the ``SECRET_KEY`` environment variable is not written (it is the operator's to keep).

A restore goes into an **empty** deployment (no table holds a row, but those ``lvzhi setup`` fills itself): it refuses otherwise, so a typo in
``DATABASE_URL`` never overwrites a live council. The archive must come from the same database vendor (an
SQLite archive restores into SQLite, a PostgreSQL one into PostgreSQL). After restoring it compares the row
counts with the manifest and the files with their hashes, and raises :class:`BackupError` on any difference.

Errors: :class:`BackupError` with a Chinese message (the commands print it and exit with code 2).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese and says why."""


def _vendor() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _models_root() -> Path:
    from lvzhi.smart.store import models_dir

    return models_dir()


def _key_file() -> Path | None:
    if os.environ.get("SECRET_KEY"):
        return None
    return Path(os.environ.get("SECRET_KEY_FILE", Path(settings.DATA_DIR) / "secret_key"))


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(args: list[str]) -> None:
    try:
        done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"找不到 {args[0]}：请安装 PostgreSQL 客户端（Debian：postgresql-client）。") from None
    if done.returncode != 0:
        raise BackupError(f"{args[0]} 失败：{done.stderr.strip()[:500]}")


def table_counts() -> dict[str, int]:
    """Rows per table of the current database (every table Django's introspection lists)."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = int(cursor.fetchone()[0])
    return counts


def _files(root: Path) -> Iterator[Path]:
    """Every file under ``root`` but half-written temporary ones (dot names, see ``smart.store``)."""
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                yield path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _applied_migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def backup(path: Path) -> dict[str, Any]:
    """Write the archive of this deployment to ``path`` (``.tar.gz``; parent directories created). Returns the
    manifest. Raises :class:`BackupError` (``pg_dump`` missing or failing, ``path`` not writable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    vendor = _vendor()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if vendor == "sqlite":
            db_file = work / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            try:
                connection.connection.backup(target)  # SQLite's online backup: consistent while others write
            finally:
                target.close()
        elif vendor == "postgresql":
            db_file = work / "database.pgdump"
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(db_file)])
        else:
            raise BackupError(f"不支持的数据库：{vendor}。")
        members: list[tuple[Path, str]] = [(db_file, db_file.name)]
        roots = {"media": _media_root(), "models": _models_root()}
        files: dict[str, str] = {}
        for prefix, root in roots.items():
            for file in _files(root):
                name = f"{prefix}/{file.relative_to(root).as_posix()}"
                members.append((file, name))
                files[name] = _sha256(file)
        key = _key_file()
        if key is not None and key.exists():
            members.append((key, "secret_key"))
        manifest = {
            "format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"), "vendor": vendor,
            "database": db_file.name, "migrations": _applied_migrations(), "tables": table_counts(),
            "files": files, "secret_key": key is not None and key.exists(),
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            for file, name in members:
                tar.add(file, arcname=name, recursive=False)
        os.replace(partial, path)  # never a half-written archive under the final name
    return manifest


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"备份文件含有不安全的路径：{member.name}。")
        members.append(member)
    return members


# Tables a fresh ``lvzhi setup`` fills by itself (migrations, content types, permissions) or that hold only
# transient state: their rows do not make a deployment "not empty".
_SETUP_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_session",
                 "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


def _is_empty() -> bool:
    """True when no table but :data:`_SETUP_TABLES` holds a row (no account, council, case … yet)."""
    return all(n == 0 for table, n in table_counts().items() if table not in _SETUP_TABLES)


def restore(path: Path) -> dict[str, Any]:
    """Restore the archive at ``path`` into this (empty) deployment and verify it. Returns the manifest.

    Raises :class:`BackupError`: not an archive of this format, from another database vendor, the target
    deployment not empty, ``pg_restore`` failing, or the restored rows or files differing from the manifest.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}。")
    try:
        tar = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError):
        raise BackupError(f"{path.name} 不是 lvzhi 的备份文件（应为 lvzhi backup 生成的 .tar.gz）。") from None
    with tar, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        members = _safe_members(tar)
        names = {m.name for m in members}
        if "manifest.json" not in names:
            raise BackupError(f"{path.name} 缺少 manifest.json，不是 lvzhi 的备份文件。")
        tar.extractall(work, members=members, filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"备份格式版本 {manifest.get('format')} 无法识别（本程序为 {FORMAT}）。")
        vendor = _vendor()
        if manifest["vendor"] != vendor:
            raise BackupError(f"备份来自 {manifest['vendor']} 数据库，当前部署使用 {vendor}：请在同类数据库上恢复。")
        if not _is_empty():
            raise BackupError("目标部署不是空的（已有账号或机构）：恢复只写入空部署，以免覆盖现有数据。"
                              "请换一个空数据库（或新的数据目录）再恢复。")
        db_file = work / manifest["database"]
        if vendor == "sqlite":
            target = Path(settings.DATABASES["default"]["NAME"])
            connections.close_all()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(db_file, target)
        else:
            with connection.cursor() as cursor:  # a fresh "setup" may have created empty tables: drop them
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            connections.close_all()
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                  "--dbname", settings.DATABASES["default"]["NAME"], str(db_file)])
        for prefix, root in (("media", _media_root()), ("models", _models_root())):
            source = work / prefix
            if source.is_dir():
                shutil.copytree(source, root, dirs_exist_ok=True)
        key = _key_file()
        if manifest.get("secret_key") and key is not None and (work / "secret_key").exists():
            key.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / "secret_key", key)
            key.chmod(0o600)
    _verify(manifest)
    return manifest


def _verify(manifest: dict[str, Any]) -> None:
    counts = table_counts()
    differ = [f"{t}（备份 {n} 行，恢复后 {counts.get(t)} 行）" for t, n in manifest["tables"].items()
              if counts.get(t) != n]
    if differ:
        raise BackupError("恢复后的数据与备份不一致：" + "；".join(differ[:10]))
    roots = {"media": _media_root(), "models": _models_root()}
    for name, digest in manifest["files"].items():
        prefix, rest = name.split("/", 1)
        file = roots[prefix] / rest
        if not file.is_file() or _sha256(file) != digest:
            raise BackupError(f"恢复后的文件与备份不一致：{name}。")
