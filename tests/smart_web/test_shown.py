"""What the recommender showed is recorded without writing on GET (issue 6): the message page carries the
shown suggestions in the routing form as a signed value; routing stores exactly that value, not a
recomputation at POST time; a tampered value is ignored (the routing goes on, nothing recorded as shown)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lvzhi.core.models import AuditEntry
from lvzhi.members import actions as org
from lvzhi.opinions import actions as op
from lvzhi.opinions.models import Message
from lvzhi.smart.models import SuggestionRecord

from .conftest import stratified, write_tsv

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world: Any, title_rows: Any, tmp_path: Path) -> tuple[Any, Message, Client]:
    labelled = write_tsv(tmp_path / "titles.tsv", stratified(title_rows, 60))
    call_command("train_models", "--labelled", str(labelled), "--kind", "message-category", "--no-cv",
                 stdout=io.StringIO(), stderr=io.StringIO())
    staff = world.user("staff")
    _, traffic, schools = world.units
    org.save_unit(staff, world.council, unit=traffic, name=traffic.name, categories="交通运输、城乡建设")
    org.save_unit(staff, world.council, unit=schools, name=schools.name, categories="教育文体，劳动和社会保障")
    message = op.register_message(staff, world.council, channel="letter", title="A市某小学违规收取课后辅导费",
                                  body="孩子所在小学要求每个学生交课后辅导费，请教育部门查处。")
    client = Client()
    client.force_login(staff)
    return world, message, client


def _shown_field(html: str) -> str:
    found = re.search(r'name="shown" value="([^"]*)"', html)
    assert found, "the routing form carries what was shown"
    return found.group(1)


def _top(page: Any, kind: str) -> list[str]:
    return [r["label"] for r in page.context["recommend"] if r["kind"] == kind]


def test_viewing_the_message_page_writes_no_suggestion_record(setup: Any) -> None:
    _world, message, client = setup
    for _ in range(2):
        page = client.get(reverse("opinions-message", args=[message.pk]))
        assert page.status_code == 200 and _top(page, "category")  # suggestions are shown …
    assert SuggestionRecord.objects.count() == 0  # … and nothing is written
    response = client.get(f"/api/smart/cases/message/{message.pk}/suggestions")
    assert response.status_code == 200 and response.json()["recommend"]
    assert SuggestionRecord.objects.count() == 0


def test_routing_stores_exactly_what_the_page_showed_not_a_recomputation(setup: Any) -> None:
    world, message, client = setup
    page = client.get(reverse("opinions-message", args=[message.pk]))
    shown_categories, shown_units = _top(page, "category"), _top(page, "unit")
    token = _shown_field(page.content.decode())
    # Between showing and routing the staff change the units' 常办分类: a recomputation would now differ.
    _, traffic, schools = world.units
    org.save_unit(world.user("staff"), world.council, unit=schools, name=schools.name, categories="城乡建设")
    org.save_unit(world.user("staff"), world.council, unit=traffic, name=traffic.name, categories="教育文体")
    response = client.post(reverse("opinions-message-act", args=[message.pk]), {
        "action": "route", "unit": traffic.pk, "category": "教育文体", "version": message.version, "shown": token})
    assert response.status_code == 302
    routed = AuditEntry.objects.get(target_id=message.pk, event="routed")
    assert routed.new_values["suggested"] == {"category": shown_categories[0], "unit": shown_units[0]}
    assert shown_units[0] == schools.name
    records = {r.kind: r.labels for r in SuggestionRecord.objects.filter(case_type="message", case_id=message.pk)}
    assert records == {"category": shown_categories, "unit": shown_units}


@pytest.mark.parametrize("token", ["forged", "tampered", "other-case"])
def test_a_tampered_shown_value_is_ignored(setup: Any, token: str) -> None:
    world, message, client = setup
    page = client.get(reverse("opinions-message", args=[message.pk]))
    good = _shown_field(page.content.decode())
    other = op.register_message(world.user("staff"), world.council, channel="letter", title="路灯不亮",
                                body="小区门口路灯坏了。")
    other_token = _shown_field(client.get(reverse("opinions-message", args=[other.pk])).content.decode())
    sent = {"forged": "category:交通运输", "tampered": good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),
            "other-case": other_token}[token]
    response = client.post(reverse("opinions-message-act", args=[message.pk]), {
        "action": "route", "unit": world.units[1].pk, "category": "交通运输", "version": message.version,
        "shown": sent})
    assert response.status_code == 302  # the clerk's routing itself stands
    assert Message.objects.get(pk=message.pk).unit_id == world.units[1].pk
    assert AuditEntry.objects.get(target_id=message.pk, event="routed").new_values["suggested"] == {}
    assert not SuggestionRecord.objects.filter(case_type="message", case_id=message.pk).exists()
