"""Fixtures of the smart web tests: models stored in a temporary directory, fresh per-process caches, real
data from shared/data (read in place), logged-in clients, and helpers that train on real rows."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lvzhi.opinions.sources import read_labelled, read_messages
from lvzhi.smart import service, store

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"  # ../shared/data from the project root
TIPDM = DATA / "tipdm2020c"
TITLES = TIPDM / "titles_labelled.tsv"
FILE3 = TIPDM / "messages_with_likes_附件3.xlsx"
PROPOSALS = DATA / "jszx2019-proposals" / "proposals.csv"


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Path) -> Any:
    settings.LVZHI_MODELS_DIR = str(tmp_path / "models")
    store.clear_cache()
    service.reset_indexes()
    service._topics_cache.clear()
    yield
    store.clear_cache()
    service.reset_indexes()
    service._topics_cache.clear()


@pytest.fixture(scope="session")
def title_rows() -> list[tuple[str, str]]:
    return read_labelled(TITLES)


def stratified(rows: list[tuple[str, str]], per_class: int, *, seed: int = 0,
               skip: set[int] | None = None) -> list[tuple[str, str]]:
    """``per_class`` rows of each label, drawn at random (fixed seed), leaving out the indices in ``skip``."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, (_, label) in enumerate(rows):
        if not skip or i not in skip:
            by_label[label].append(i)
    rng = random.Random(seed)
    chosen: list[int] = []
    for label in sorted(by_label):
        idx = by_label[label]
        chosen += rng.sample(idx, min(per_class, len(idx)))
    return [rows[i] for i in sorted(chosen)]


def write_tsv(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...] = ("text", "label")) -> Path:
    path.write_text("\n".join("\t".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def file3_messages() -> list[Any]:
    messages, _ = read_messages(FILE3)
    return messages


@pytest.fixture
def login(world: Any) -> Callable[[str], Client]:
    def _login(name: str) -> Client:
        client = Client()
        client.force_login(world.user(name))
        return client

    return _login
