"""A new council — no routings, so no unit model yet — still gets handling-unit suggestions: the category
model's probabilities go to the units whose 常办分类 list that category (data the staff maintain)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lvzhi.core.errors import DomainError
from lvzhi.members import actions as org
from lvzhi.opinions import actions as op
from lvzhi.smart import service, store
from lvzhi.smart.models import SuggestionRecord

from .conftest import stratified, write_tsv

pytestmark = pytest.mark.django_db


def test_new_council_gets_unit_suggestions_from_categories(world: Any, title_rows: Any, tmp_path: Path) -> None:
    labelled = write_tsv(tmp_path / "titles.tsv", stratified(title_rows, 60))
    call_command("train_models", "--labelled", str(labelled), "--kind", "message-category", "--no-cv",
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert store.model_for("message-unit", world.council.pk) is None
    staff = world.user("staff")
    _, traffic, schools = world.units  # 市发展和改革局 gets no categories
    message = op.register_message(staff, world.council, channel="letter", title="A市某小学违规收取课后辅导费",
                                  body="孩子所在小学要求每个学生交课后辅导费，请教育部门查处。")
    assert service.suggest_units(message) == []  # no unit lists any category yet

    org.save_unit(staff, world.council, unit=traffic, name=traffic.name, categories="交通运输、城乡建设")
    org.save_unit(staff, world.council, unit=schools, name=schools.name, categories="教育文体，劳动和社会保障")
    suggested = service.suggest_units(message, record=True)
    assert suggested[0]["label"] == schools.name
    assert {s["label"] for s in suggested} <= {traffic.name, schools.name}  # the unit without categories is not
    assert all(0 < s["score"] <= 1 for s in suggested) and "常办分类" in suggested[0]["model"]
    categories = dict((c["label"], c["score"]) for c in service.suggest_categories(message, k=7, record=False))
    assert suggested[0]["score"] == pytest.approx(categories.get("教育文体", 0) + categories.get("劳动和社会保障", 0),
                                                  abs=1e-3)
    record = SuggestionRecord.objects.get(case_id=message.pk, kind="unit")
    assert record.suggestions[0][0] == schools.name
    # the page shows them to the clerk
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("opinions-message", args=[message.pk])).content.decode()
    assert schools.name in page


def test_unit_categories_are_kept_as_data_and_validated(world: Any) -> None:
    unit = world.units[0]
    saved = org.save_unit(None, world.council, unit=unit, name=unit.name, categories=" 城乡建设 ,交通运输、城乡建设 ")
    assert saved.categories == "城乡建设、交通运输" and saved.category_list() == ["城乡建设", "交通运输"]
    again = org.save_unit(None, world.council, unit=unit, name=unit.name)  # categories not given: unchanged
    assert again.categories == "城乡建设、交通运输"
    with pytest.raises(DomainError, match="常办分类") as err:
        org.save_unit(None, world.council, unit=unit, name=unit.name,
                      categories="、".join(f"分类{i:03d}" for i in range(60)))
    assert err.value.field == "categories"
    unit.refresh_from_db()
    assert unit.categories == "城乡建设、交通运输"
