"""A citizen on a phone attaches a photo to a portal message, submits, and later rates the answer with a
comment through the tracking code; the photo (stripped of its GPS position) shows on the published message.
Source: issue 11, item 9."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from lvzhi.core.models import Attachment
from lvzhi.opinions import actions as act
from lvzhi.opinions.models import Message
from tests.browser.test_proposal_flow import login
from tests.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def _phone_photo(path: Path) -> Path:
    """A JPEG with a GPS position in its EXIF, as a phone camera writes it."""
    image = Image.new("RGB", (1200, 900), (200, 30, 30))
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (22.0, 35.0, 0.0), 3: "E", 4: (113.0, 5.0, 0.0)})
    image.save(path, "JPEG", exif=exif)
    assert Image.open(path).getexif().get_ifd(0x8825)
    return path


@pytest.mark.parametrize("viewport", ["phone"])
def test_phone_citizen_attaches_a_photo_then_rates_with_a_comment(live_server: Any, new_page: Any, tmp_path: Path,
                                                                 viewport: str) -> None:
    world = build_world("照片测试市政协")
    base = live_server.url
    title = "人行道地砖松动"
    citizen = new_page()
    citizen.goto(f"{base}/portal/")
    citizen.get_by_label("标题").fill(title)
    citizen.get_by_label("内容").fill("幸福路人行道地砖松动，老人容易绊倒。")
    photos = citizen.get_by_label("照片")
    expect(citizen.locator("#p-photos-help")).to_contain_text("车牌")
    photos.set_input_files(str(_phone_photo(tmp_path / "IMG_0001.jpg")))
    citizen.get_by_role("button", name="提交留言").click()
    expect(citizen.locator("h1")).to_have_text("留言已提交")
    code = citizen.locator(".tracking-code").inner_text().strip()
    message = Message.objects.get(title=title)
    assert code == message.tracking_code
    stored = Attachment.objects.get(target_id=message.pk, content_type="image/jpeg")
    assert len(Image.open(stored.file).getexif()) == 0

    # staff see the photo on the message page
    staff = new_page()
    login(staff, base, world.user("staff").username)
    staff.goto(f"{base}/opinions/messages/{message.pk}/")
    img = staff.locator(".photos img").first
    expect(img).to_be_visible()
    assert img.evaluate("i => i.complete && i.naturalWidth") == 1200

    # answered and published (the handling itself is covered by test_opinions_flow)
    act.route_message(world.user("staff"), message.pk, unit=world.units[1])
    act.draft_message_reply(world.user("clerk1"), message.pk, text="已安排修复地砖。")
    act.sign_off_message_reply(world.user("head1"), message.pk)
    act.publish_message(world.user("staff"), message.pk)

    # later, the citizen rates with a comment through the tracking code
    citizen.goto(f"{base}/portal/lookup/?code={code}")
    expect(citizen.locator("article")).to_contain_text("已安排修复地砖。")
    citizen.get_by_label("不满意", exact=True).check()
    citizen.get_by_label("评价说明").fill("只修了一半，另一半还松动。")
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.locator("body")).to_contain_text("感谢您的评价")
    expect(citizen.locator("article")).to_contain_text("群众评价：不满意")
    expect(citizen.locator("article")).to_contain_text("只修了一半，另一半还松动。")
    message.refresh_from_db()
    assert message.rating == "unsatisfied" and message.rating_comment == "只修了一半，另一半还松动。"

    # the published message shows the photo and the comment to everyone
    visitor = new_page()
    visitor.goto(f"{base}/portal/m/{message.pk}/")
    photo = visitor.locator("article .photos img").first
    expect(photo).to_be_visible()
    assert photo.evaluate("i => i.complete && i.naturalWidth") == 1200
    box = photo.bounding_box()
    assert box is not None and box["width"] <= 375  # fits the phone screen
    expect(visitor.locator("article")).to_contain_text("只修了一半")
    data = visitor.request.get(base + (photo.get_attribute("src") or "")).body()
    assert len(Image.open(io.BytesIO(data)).getexif()) == 0
    visitor.screenshot(path=str(tmp_path / "portal-photo-phone.png"), full_page=True)
