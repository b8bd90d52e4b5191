"""A killed import leaves nothing behind (issue "Production …", item 4; the probe found that after ``kill -9`` of
``lvzhi import-proposals`` on PostgreSQL the council, term, session and account it had created stayed committed,
although the README promises whole-file imports).

The real file of ../shared/data is imported by the installed command into a fresh deployment; the process is
killed with SIGKILL once its progress bar shows rows written; then the database, read with the driver alone,
holds no council, term, session, account, member or proposal of the import.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

CSV = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "jszx2019-proposals" / "proposals.csv"


def _count(deployment: Any, table: str) -> int:
    conn = deployment.connect()
    try:
        cur = conn.cursor()
        cur.execute(f'SELECT COUNT(*) FROM "{table}"')
        return int(cur.fetchone()[0])
    finally:
        conn.close()


def test_import_killed_midway_leaves_the_database_as_it_was(deployments: Any) -> None:
    site = deployments("site")
    site.run("setup")
    tables = ("members_council", "members_term", "members_session", "auth_user", "members_member",
              "proposals_proposal", "core_auditentry")
    before = {t: _count(site, t) for t in tables}
    proc = subprocess.Popen([*site.command, "import-proposals", str(CSV)], env=site.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + 300
    os.set_blocking(proc.stderr.fileno(), False)
    while time.monotonic() < deadline and proc.poll() is None:
        chunk = proc.stderr.read() or b""
        seen += chunk
        # tqdm prints "导入提案:  3%|…| 12/350"; wait until some rows are written inside the transaction
        if any(f"| {n}/350".encode() in seen for n in range(10, 300)):
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the import finished before it could be killed: " + seen.decode()[-300:]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    after = {t: _count(site, t) for t in tables}
    assert after == before
