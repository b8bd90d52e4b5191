"""Photos on portal messages and the citizen's comment with the rating (issue 11, item 9).

The rules under test (README “Public portal”): up to 3 photos, JPEG/PNG/WebP as decoded by Pillow, ≤ 5 MB
each, at most 50 megapixels; stored re-encoded without any metadata, EXIF orientation applied, long side
≤ 2048 px; one bad photo refuses the whole message (nothing stored) and keeps the typed text; staff and the
handling unit see the photos, the public only on a published message whose photos staff did not hide. The
rating comment is optional, ≤ 200 characters, recorded in the ``rated`` audit entry, shown to staff, in the
export and on the portal.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageCms

from lvzhi.core.api_auth import issue_token
from lvzhi.core.audit import timeline
from lvzhi.core.errors import DomainError
from lvzhi.core.models import Attachment
from lvzhi.opinions import actions as act
from lvzhi.opinions import exports
from lvzhi.opinions.models import Message

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_gps(size: tuple[int, int] = (3000, 2000), orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: EXIF with camera make, orientation and a GPS position, an XMP packet,
    an ICC profile and a comment. Left half red, right half blue (to see the rotation)."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[MAKE] = "TestCam"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (22.0, 35.0, 0.0), 3: "E", 4: (113.0, 5.0, 0.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, icc_profile=icc, comment=b"secret comment",
               xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">where I live</x:xmpmeta>')
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _post(client: Client, photos: list[SimpleUploadedFile], **data: str) -> Any:
    values: dict[str, Any] = {"title": "路面塌陷", "body": "幸福路口路面塌陷，很危险。", "place": "幸福路口",
                              "photos": photos}
    values.update(data)
    return client.post(reverse("portal"), values, REMOTE_ADDR="10.0.0.9")


def _replied(world: Any, message: Message) -> Message:
    staff = world.user("staff")
    act.route_message(staff, message.pk, unit=world.units[1])
    act.draft_message_reply(world.user("clerk1"), message.pk, text="已修复。")
    act.sign_off_message_reply(world.user("head1"), message.pk)
    message.refresh_from_db()
    return message


def test_the_phone_photo_test_file_really_carries_gps_and_metadata() -> None:
    # The fixture itself, so the stripping test below proves something.
    image = Image.open(io.BytesIO(jpeg_with_gps()))
    exif = image.getexif()
    assert exif[MAKE] == "TestCam" and exif[ORIENTATION] == 6
    assert exif.get_ifd(GPS_IFD)[1] == "N"
    assert "icc_profile" in image.info and "xmp" in image.info and image.info["comment"] == b"secret comment"


def test_portal_photo_is_stored_without_any_metadata_and_upright(world: Any) -> None:
    resp = _post(Client(), [upload(jpeg_with_gps(), name="张三家门口.jpg")])
    assert resp.status_code == 200
    message = Message.objects.get()
    photo = Attachment.objects.get()
    assert photo.target == message and photo.content_type == "image/jpeg" and photo.name == "照片1.jpg"
    data = photo.file.read()
    assert photo.size == len(data)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert len(stored.getexif()) == 0
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(stored.info)
    for secret in (b"Exif", b"TestCam", b"where I live", b"secret comment", b"http://ns.adobe.com"):
        assert secret not in data
    # Orientation 6 = the camera was turned: 3000×2000 as stored is 2000×3000 upright, scaled to a long
    # side of 2048 → 2048 × 2000/3000 = 1365.3 wide. The red (left) half is now on top.
    assert stored.height == 2048 and abs(stored.width - 2048 * 2000 / 3000) < 1
    rgb = stored.convert("RGB")
    top, bottom = rgb.getpixel((stored.width // 2, 100)), rgb.getpixel((stored.width // 2, stored.height - 100))
    assert top[0] > 200 and top[2] < 60 and bottom[2] > 200 and bottom[0] < 60
    assert any(e.event == "photos_attached" and e.new_values == {"photos": 1} for e in timeline(message))


def test_png_and_webp_kept_in_their_format(world: Any) -> None:
    webp = io.BytesIO()
    Image.new("RGB", (50, 40), (0, 128, 0)).save(webp, "WEBP")
    message = act.submit_portal_message(world.council, title="垃圾堆放", body="路边垃圾无人清理。", photos=[
        upload(png_bytes(mode="RGBA"), "a.png", "image/png"), upload(webp.getvalue(), "b.webp", "image/webp")])
    photos = list(Attachment.objects.filter(target_id=message.pk).order_by("id"))
    assert [(p.name, p.content_type) for p in photos] == [("照片1.png", "image/png"), ("照片2.webp", "image/webp")]
    assert Image.open(photos[0].file).mode == "RGBA"


def _bomb() -> bytes:
    # 10000 × 6000 = 60 megapixels (over the 50 MP limit) in a few kilobytes of PNG.
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.mark.parametrize(("files", "expected"), [
    (lambda: [upload("这其实是一段文字，不是照片。".encode(), "秘密文件名.jpg")], "无法识别为图片"),
    (lambda: [upload(_pdf(), "秘密文件名.pdf", "application/pdf")], "无法识别为图片"),
    (lambda: [upload(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "秘密文件名.heic",
                     "image/heic")], "HEIC"),
    (lambda: [upload(_bomb(), "秘密文件名.png", "image/png")], "像素过多"),
    (lambda: [upload(png_bytes(), f"秘密文件名{i}.png", "image/png") for i in range(4)], "最多 3 张"),
    (lambda: [upload(b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024), "秘密文件名.jpg")], "超过 5 MB"),
], ids=["text-as-jpg", "pdf", "heic", "60-megapixel-bomb", "fourth-photo", "over-5-MB"])
def test_bad_photo_refuses_the_whole_message_and_keeps_the_text(world: Any, files: Any, expected: str) -> None:
    resp = _post(Client(), files(), title="井盖丢失", body="这段文字要留在表单里。")
    text = resp.content.decode()
    assert resp.status_code == 400
    assert expected in text and "照片" in text
    assert "井盖丢失" in text and "这段文字要留在表单里。" in text
    assert "秘密文件名" not in text
    assert Message.objects.count() == 0 and Attachment.objects.count() == 0


def test_bomb_refused_before_decoding_by_the_action(world: Any) -> None:
    with pytest.raises(DomainError) as err:
        act.submit_portal_message(world.council, title="t", body="b",
                                  photos=[upload(png_bytes(), "a.png"), upload(_bomb(), "b.png")])
    assert err.value.field == "photos" and err.value.message.startswith("第 2 张照片像素过多")


def test_api_photos_as_base64(world: Any) -> None:
    public = Client()
    good = "data:image/jpeg;base64," + base64.b64encode(jpeg_with_gps((300, 200), 1)).decode()
    r = public.post("/api/opinions/portal/messages", {"title": "路灯", "body": "不亮", "photos": [good]},
                    content_type="application/json")
    assert r.status_code == 201
    message = Message.objects.get()
    assert Attachment.objects.get().target == message
    for photos, field_text in (([good] * 4, "最多 3 项"), (["不是base64"], "base64"),
                               ([base64.b64encode(_pdf()).decode()], "无法识别为图片")):
        r = public.post("/api/opinions/portal/messages", {"title": "路灯", "body": "不亮", "photos": photos},
                        content_type="application/json")
        assert r.status_code in (400, 422) and r.json()["field"] == "photos" and field_text in r.json()["detail"]
    assert Message.objects.count() == 1 and Attachment.objects.count() == 1


def test_who_sees_the_photos(world: Any) -> None:
    message = act.submit_portal_message(world.council, title="路面塌陷", body="危险", photos=[
        upload(jpeg_with_gps((300, 200), 1))])
    photo = Attachment.objects.get()
    staff_url = reverse("opinions-message-photo", args=[message.pk, photo.pk])
    public_url = reverse("portal-message-photo", args=[message.pk, photo.pk])
    staff = Client()
    staff.force_login(world.user("staff"))
    assert staff_url in staff.get(reverse("opinions-message", args=[message.pk])).content.decode()
    r = staff.get(staff_url)
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    public = Client()
    assert public.get(public_url).status_code == 404  # not published
    other_unit = Client()
    other_unit.force_login(world.user("clerk0"))
    message = _replied(world, message)  # routed to units[1]
    assert other_unit.get(staff_url).status_code == 404
    unit = Client()
    unit.force_login(world.user("clerk1"))
    assert unit.get(staff_url).status_code == 200
    assert public.get(public_url).status_code == 404  # answered, not yet published

    act.publish_message(world.user("staff"), message.pk)
    assert public.get(public_url).status_code == 200
    assert public_url in public.get(reverse("portal-message", args=[message.pk])).content.decode()
    listed = public.get("/api/opinions/portal/published").json()["items"][0]
    assert listed["photos"] == [{"url": public_url, "name": "照片1.jpg"}]

    r = staff.post(reverse("opinions-message-act", args=[message.pk]), {"action": "hide_photos"})
    assert r.status_code == 302
    assert public.get(public_url).status_code == 404
    assert public_url not in public.get(reverse("portal-message", args=[message.pk])).content.decode()
    assert public.get("/api/opinions/portal/published").json()["items"][0]["photos"] == []
    assert staff.get(staff_url).status_code == 200  # staff still see them
    assert any(e.event == "published" and e.new_values.get("photos_hidden") is True for e in timeline(message))


def test_publishing_with_photos_hidden_from_the_start(world: Any) -> None:
    message = _replied(world, act.submit_portal_message(world.council, title="t", body="b", photos=[
        upload(png_bytes(), "a.png", "image/png")]))
    staff = Client()
    staff.force_login(world.user("staff"))
    staff.post(reverse("opinions-message-act", args=[message.pk]), {"action": "publish", "hide_photos": "1"})
    message.refresh_from_db()
    assert message.published and message.photos_hidden


# ---------------------------------------------------------------------------------------------- rating comment


def test_rating_comment_on_the_portal_staff_page_export_and_audit(world: Any, tmp_path: Any) -> None:
    message = _replied(world, act.submit_portal_message(world.council, title="噪音", body="夜间施工"))
    code = message.tracking_code
    public = Client()
    lookup = reverse("portal-lookup")
    resp = public.post(lookup, {"code": code, "rating": "unsatisfied", "comment": "长" * 201})
    text = resp.content.decode()
    assert resp.status_code == 400 and "「评价说明」不能超过 200 个字（现有 201 个）" in text
    assert "长" * 201 in text  # kept in the form
    message.refresh_from_db()
    assert message.rating == "" and message.rating_comment == ""

    comment = "  施工仍在继续，答复没有解决问题。  "
    assert public.post(lookup, {"code": code, "rating": "unsatisfied", "comment": comment}).status_code == 302
    message.refresh_from_db()
    assert message.rating == "unsatisfied" and message.rating_comment == "施工仍在继续，答复没有解决问题。"
    rated = next(e for e in timeline(message) if e.event == "rated")
    assert rated.new_values["rating"] == "unsatisfied"
    assert rated.new_values["rating_comment"] == "施工仍在继续，答复没有解决问题。"

    # double submit: refused, the first comment stays
    resp = public.post(lookup, {"code": code, "rating": "satisfied", "comment": "改主意了"})
    assert resp.status_code == 400 and "已评价" in resp.content.decode()
    message.refresh_from_db()
    assert message.rating_comment == "施工仍在继续，答复没有解决问题。"

    staff = Client()
    staff.force_login(world.user("staff"))
    assert "施工仍在继续" in staff.get(reverse("opinions-message", args=[message.pk])).content.decode()
    unit = Client()
    unit.force_login(world.user("clerk1"))
    assert "施工仍在继续" in unit.get(reverse("opinions-message", args=[message.pk])).content.decode()
    row = dict(zip(exports.MESSAGE_HEADERS, exports.message_row(message), strict=True))
    assert row["群众评价"] == "不满意" and row["评价说明"] == "施工仍在继续，答复没有解决问题。"

    act.publish_message(world.user("staff"), message.pk)
    page = public.get(reverse("portal-message", args=[message.pk])).content.decode()
    assert "不满意" in page and "施工仍在继续" in page


def test_rating_comment_is_optional_and_masked_in_public(world: Any) -> None:
    message = _replied(world, act.submit_portal_message(world.council, title="t", body="b"))
    act.rate_message(message.tracking_code, rating="satisfied")
    message.refresh_from_db()
    assert message.rating == "satisfied" and message.rating_comment == ""

    other = _replied(world, act.submit_portal_message(world.council, title="t2", body="b2"))
    act.rate_message(other.tracking_code, rating="basically", comment="有事请打13912345678")
    act.publish_message(world.user("staff"), other.pk)
    page = Client().get(reverse("portal-message", args=[other.pk])).content.decode()
    assert "13912345678" not in page and "139****5678" in page


def test_rating_comment_through_the_api(world: Any) -> None:
    message = _replied(world, act.submit_portal_message(world.council, title="t", body="b"))
    url = f"/api/opinions/portal/messages/{message.tracking_code}/rating"
    public = Client()
    r = public.post(url, {"rating": "satisfied", "comment": "好" * 201}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "comment" and "200" in r.json()["detail"]
    r = public.post(url, {"rating": "satisfied", "comment": "好" * 200}, content_type="application/json")
    assert r.status_code == 200 and r.json()["rating_comment"] == "好" * 200
    r = public.post(url, {"rating": "satisfied", "comment": "再来一次"}, content_type="application/json")
    assert r.status_code == 400 and "已评价" in r.json()["detail"]
    schema = Client().get("/api/openapi.json").json()
    rating_in = schema["components"]["schemas"]["RatingIn"]["properties"]["comment"]
    assert rating_in["maxLength"] == 200


def test_staff_api_detail_lists_photos_and_the_comment(world: Any) -> None:
    message = _replied(world, act.submit_portal_message(world.council, title="t", body="b", photos=[
        upload(png_bytes(), "a.png", "image/png")]))
    act.rate_message(message.tracking_code, rating="basically", comment="还行")
    _, key = issue_token(world.user("staff"), name="test")
    detail = Client(headers={"Authorization": f"Bearer {key}"}).get(f"/api/opinions/messages/{message.pk}").json()
    photo = Attachment.objects.get()
    assert detail["rating_comment"] == "还行" and detail["photos_hidden"] is False
    assert detail["photos"] == [{"id": photo.pk, "name": "照片1.png", "content_type": "image/png", "size": photo.size,
                                 "url": reverse("opinions-message-photo", args=[message.pk, photo.pk])}]


def test_other_field_error_tells_to_choose_the_photos_again(world: Any) -> None:
    resp = _post(Client(), [upload(png_bytes(), "a.png", "image/png")], title="")
    text = resp.content.decode()
    assert resp.status_code == 400 and "请填写「标题」" in text and "已选的照片需要重新选择" in text
    assert Message.objects.count() == 0 and Attachment.objects.count() == 0
