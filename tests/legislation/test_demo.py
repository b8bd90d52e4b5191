"""``lvzhi demo`` builds one consultation on the real 江门市门楼号牌管理条例 in the demo people's congress
(through the actions), and ``--reset`` removes and rebuilds it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from lvzhi.demo.builder import build_demo
from lvzhi.demo.legislation import COMMENTS
from lvzhi.legislation.models import Comment, Consultation, Draft, Opinion
from lvzhi.smart import store

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _models_in_tmp(settings: Any, tmp_path: Path) -> Any:
    settings.LVZHI_MODELS_DIR = str(tmp_path / "models")
    store.clear_cache()
    yield
    store.clear_cache()


def test_demo_consultation_and_reset() -> None:
    build_demo(train=False)
    draft = Draft.objects.get()
    assert draft.title == "江门市门楼号牌管理条例" and draft.is_demo
    assert draft.council.name == "江门市人民代表大会常务委员会"
    consultation = Consultation.objects.get()
    # the listed comments plus the demo deputy's
    assert Comment.objects.filter(consultation=consultation).count() == len(COMMENTS) + 1
    assert Opinion.objects.get().comments.count() == 2
    page = Client().get(f"/portal/legislation/{consultation.pk}/").content.decode()
    assert "第三条 本条例所称门楼号牌" in page
    staff = Client()
    assert staff.post("/login/", {"username": "demo-npc-staff", "password": "Qiaodu-Xuanren-2024"}
                      ).status_code == 302
    assert "相近意见 2 条" in staff.get(f"/legislation/consultations/{consultation.pk}/").content.decode()
    build_demo(reset=True, train=False)
    assert Draft.objects.count() == 1 and Consultation.objects.count() == 1 and Draft.objects.get().pk != draft.pk
