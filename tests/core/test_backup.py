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

from pathlib import Path
from typing import Any


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
