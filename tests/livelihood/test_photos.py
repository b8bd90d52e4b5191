"""Photos on progress reports: JPEG and PNG only, judged by their bytes (JPEG: T.81 Annex B, SOI = FF D8 FF;
PNG: ISO/IEC 15948 §5, signature 89 50 4E 47 0D 0A 1A 0A), with metadata removed (EXIF/XMP/COM segments,
PNG text and time chunks) and a size limit; shown only to those who may see the project."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from lvzhi.core.errors import DomainError
from lvzhi.livelihood import actions as act
from lvzhi.livelihood.models import Candidate, ProgressPhoto, Vote
from lvzhi.livelihood.photos import clean_photo
from tests.cases.npc import NPC
from tests.livelihood.test_delivery import elected_project


def segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


# A 1×1 grey baseline JPEG written by hand: quantisation table of ones, one DC and one AC Huffman table each
# with a single 1-bit code (symbol 0: DC difference 0 / end of block), then the scan "0" "0" padded with 1s.
HUFF = bytes([1] + [0] * 15) + b"\x00"
JPEG_CORE = (segment(0xDB, b"\x00" + b"\x01" * 64) + segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
             + segment(0xC4, b"\x00" + HUFF) + segment(0xC4, b"\x10" + HUFF)
             + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x3f\xff\xd9")
JFIF = segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
EXIF = segment(0xE1, b"Exif\x00\x00MM\x00*GPSLatitude 22.58N 113.08E")
COMMENT = segment(0xFE, "拍摄人：张三".encode())
CLEAN_JPEG = b"\xff\xd8" + JFIF + JPEG_CORE


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A 1×1 8-bit grey PNG: IHDR, one IDAT (filter byte 0 + one pixel), IEND.
PNG_HEAD = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
PNG_BODY = chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")
CLEAN_PNG = PNG_HEAD + PNG_BODY


def test_metadata_is_removed_and_the_picture_kept() -> None:
    dirty = b"\xff\xd8" + JFIF + EXIF + COMMENT + JPEG_CORE + b"PK\x03\x04appended zip"
    assert clean_photo(dirty, "a.jpg") == (CLEAN_JPEG, "image/jpeg")
    assert clean_photo(CLEAN_JPEG, "b.jpg") == (CLEAN_JPEG, "image/jpeg")  # nothing to remove
    text = chunk(b"tEXt", "Author\x00张三".encode()) + chunk(b"tIME", b"\x07\xea\x0c\x01\x0a\x00\x00")
    assert clean_photo(PNG_HEAD + text + PNG_BODY, "c.png") == (CLEAN_PNG, "image/png")


def test_only_jpeg_and_png_within_the_size_limit() -> None:
    with pytest.raises(DomainError) as e:
        clean_photo(b"GIF89a\x01\x00\x01\x00", "d.jpg")  # named .jpg, but a GIF
    assert e.value.field == "photos" and "不是 JPEG 或 PNG 图片" in e.value.message
    with pytest.raises(DomainError, match="是空文件"):
        clean_photo(b"", "e.png")
    with pytest.raises(DomainError, match="已损坏"):
        clean_photo(CLEAN_PNG[:-5], "f.png")  # IEND cut off
    broken = bytearray(CLEAN_PNG)
    broken[len(PNG_HEAD) + 9] ^= 0xFF  # a byte of IDAT's data: its CRC no longer matches
    with pytest.raises(DomainError, match="已损坏"):
        clean_photo(bytes(broken), "g.png")
    with pytest.raises(DomainError, match="已损坏"):
        clean_photo(b"\xff\xd8" + JFIF + b"\xff\xd9", "h.jpg")  # no image data
    with override_settings(LVZHI_PHOTO_MAX_BYTES=len(CLEAN_JPEG) - 1), pytest.raises(DomainError, match="大小限制"):
        clean_photo(CLEAN_JPEG, "i.jpg")


def test_photos_on_the_progress_page(npc: NPC) -> None:
    candidate = elected_project(npc)
    act.publish_result(npc.user("leader"), Vote.objects.get(pk=candidate.vote_id))
    project = act.start_delivery(npc.user("staff"), Candidate.objects.get(pk=candidate.pk))
    assert candidate.unit is not None
    clerk = Client()
    clerk.force_login(npc.user(f"clerk{npc.units.index(candidate.unit)}"))
    url = f"/livelihood/projects/{project.pk}/"
    month = timezone.localdate().strftime("%Y-%m")
    form = {"step": "progress", "month": month, "percent": "30", "text": "基础施工"}
    page = clerk.post(url, {**form, "photos": [SimpleUploadedFile("现场.jpg", b"%PDF-1.4 not a photo")]},
                      follow=True).content.decode()
    assert "不是 JPEG 或 PNG 图片" in page and not project.progress.exists()  # nothing half-written
    clerk.post(url, {**form, "photos": [
        SimpleUploadedFile("现场1.jpg", b"\xff\xd8" + JFIF + EXIF + JPEG_CORE, content_type="image/jpeg"),
        SimpleUploadedFile("现场2.png", CLEAN_PNG, content_type="image/png")]})
    first, second = ProgressPhoto.objects.order_by("id")
    assert (first.name, first.content_type, second.content_type) == ("现场1.jpg", "image/jpeg", "image/png")
    with first.file.open("rb") as f:
        assert f.read() == CLEAN_JPEG  # stored without the EXIF segment
    assert f'src="/livelihood/photos/{first.pk}/"' in clerk.get(url).content.decode()
    deputy = Client()
    deputy.force_login(npc.user("deputy3"))
    answer = deputy.get(f"/livelihood/photos/{first.pk}/")
    assert answer["Content-Type"] == "image/jpeg" and b"".join(answer.streaming_content) == CLEAN_JPEG
    assert Client().get(f"/livelihood/photos/{first.pk}/").status_code == 302  # login first
    outsider = Client()
    outsider.force_login(npc.user(f"clerk{(npc.units.index(candidate.unit) + 1) % 3}"))
    assert outsider.get(f"/livelihood/photos/{first.pk}/").status_code == 404
