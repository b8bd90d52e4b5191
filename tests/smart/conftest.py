"""Fixtures for the lvzhi.smart tests: paths to the real data in shared/data (read in place)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"  # ../shared/data from the project root
TIPDM = DATA / "tipdm2020c"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    assert DATA.exists(), f"the real data sets are expected beside the project, at {DATA}"
    return DATA


@pytest.fixture(scope="session")
def tipdm() -> Path:
    assert TIPDM.exists(), f"the tipdm2020c data set is expected at {TIPDM}"
    return TIPDM


@pytest.fixture(scope="session")
def likes_messages(tipdm: Path):  # type: ignore[no-untyped-def]
    from lvzhi.opinions.sources import read_messages

    return read_messages(tipdm / "messages_with_likes_附件3.xlsx")
