"""What the smart features keep outside any process: trained models as database rows (a machine without the
files fetches them) and the similar-case index stored once and loaded, not rebuilt, by another process."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from lvzhi.opinions.models import Message
from lvzhi.smart import service, store
from lvzhi.smart.classify import train
from lvzhi.smart.models import StoredIndex, StoredModel
from tests.smart_web.conftest import stratified
from tests.smart_web.test_similar import _import_slice, _same_body_pair

pytestmark = pytest.mark.django_db


def test_a_machine_without_the_files_loads_the_stored_model(title_rows: list[tuple[str, str]]) -> None:
    rows = stratified(title_rows, 10)
    texts, labels = [t for t, _ in rows], [y for _, y in rows]
    first = train(texts, labels, calibrate=False)
    second = train(texts[::-1], labels[::-1], calibrate=False, c=2.0)
    store.save_model(first, "message-category", council_id=7)
    info = store.save_model(second, "message-category", council_id=7)
    assert list(StoredModel.objects.filter(scope="council-7").values_list("version", "current").order_by(
        "version")) == [(1, False), (2, True)]
    # Another machine: its own (empty) data directory, a fresh process.
    shutil.rmtree(store.models_dir())
    store.clear_cache()
    loaded = store.load("message-category", "council-7")
    assert loaded is not None and loaded.info.version == 2 and info.path.is_file()
    assert loaded.model.top_k(texts[0]) == second.top_k(texts[0])
    # Going back to version 1 is seen by every process at its next load.
    store.make_current("message-category", "council-7", 1)
    back = store.load("message-category", "council-7")
    assert back is not None and back.info.version == 1 and back.model.top_k(texts[0]) == first.top_k(texts[0])
    with pytest.raises(LookupError):
        store.make_current("message-category", "council-7", 9)


def test_the_stored_similar_index_is_loaded_by_another_process_not_rebuilt(
        world: Any, file3_messages: list[Any], monkeypatch: Any) -> None:
    _import_slice(world, file3_messages)
    first, second = _same_body_pair(file3_messages, 450)
    a = Message.objects.get(council=world.council, external_id=first.external_id)
    b = Message.objects.get(council=world.council, external_id=second.external_id)
    hits = service.similar_cases(a)
    stored = StoredIndex.objects.get(council=world.council)
    assert stored.size == Message.objects.filter(council=world.council).count()
    # A new process: nothing in memory, and building is not allowed — the stored index serves.
    service.reset_indexes()

    def no_build(council_id: int) -> Any:
        raise AssertionError("the index was rebuilt instead of loaded")

    monkeypatch.setattr(service, "_build", no_build)
    again = service.similar_cases(a)
    assert [(h["id"], h["score"]) for h in again] == [(h["id"], h["score"]) for h in hits]
    assert again[0]["id"] == b.pk and again[0]["duplicate"] == "same_body"
