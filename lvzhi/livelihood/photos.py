"""Photos on progress reports: JPEG and PNG only, judged by their content (magic bytes and structure, not the
file name), size-limited, with their metadata removed before they are stored — EXIF (which holds the GPS
position, the camera and the time), XMP, IPTC, comments, and PNG text and time chunks.

Pure Python (no image library is installed: Pillow is not a dependency of lvzhi): the file is taken apart
into its segments (JPEG, ITU-T T.81 Annex B) or chunks (PNG, ISO/IEC 15948 §5) and put back without the
metadata ones. Pixels are not decoded or re-encoded, so the picture is unchanged.
"""

from __future__ import annotations

import struct
import zlib

from django.conf import settings

from lvzhi.core.errors import DomainError

JPEG, PNG = "image/jpeg", "image/png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG chunks kept: the critical ones and those that change how the pixels look; the rest (tEXt, zTXt,
#: iTXt, eXIf, tIME, private chunks …) are dropped.
PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT"}
#: JPEG markers dropped before the image data: APP1–APP13 and APP15 (EXIF, XMP, ICC, IPTC …) and COM.
#: APP0 (JFIF) and APP14 (Adobe: colour transform, needed to decode some files) are kept.
JPEG_DROP = set(range(0xE1, 0xEE)) | {0xEF, 0xFE}
#: Default size limit per photo (bytes); ``settings.LVZHI_PHOTO_MAX_BYTES`` overrides it.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: At most this many photos per progress report.
MAX_PHOTOS = 9


def max_bytes() -> int:
    return int(getattr(settings, "LVZHI_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def clean_photo(data: bytes, name: str = "", *, field: str = "photos") -> tuple[bytes, str]:
    """``(bytes without metadata, content type)`` of a JPEG or PNG photo.

    Raises :class:`DomainError` naming ``field``: empty, larger than :func:`max_bytes`, not a JPEG or PNG
    (whatever its name says), or damaged (a segment or chunk running past the end, a PNG chunk whose CRC does
    not match, no image data).
    """
    label = f"照片「{name}」" if name else "照片"
    if not data:
        raise DomainError(f"{label}是空文件。", field=field)
    if len(data) > max_bytes():
        raise DomainError(f"{label}超过 {max_bytes() // (1024 * 1024)} MB 的大小限制。", field=field)
    try:
        if data.startswith(b"\xff\xd8\xff"):
            return _clean_jpeg(data), JPEG
        if data.startswith(PNG_SIGNATURE):
            return _clean_png(data), PNG
    except ValueError:
        raise DomainError(f"{label}已损坏，无法读取。", field=field) from None
    raise DomainError(f"{label}不是 JPEG 或 PNG 图片：只接受 JPEG、PNG 格式的照片。", field=field)


def _clean_jpeg(data: bytes) -> bytes:
    out = bytearray(b"\xff\xd8")
    pos = 2
    while True:
        while pos < len(data) and data[pos] == 0xFF and pos + 1 < len(data) and data[pos + 1] == 0xFF:
            pos += 1  # fill bytes
        if pos + 4 > len(data) or data[pos] != 0xFF:
            raise ValueError("segment")
        marker = data[pos + 1]
        if marker == 0xD9 or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            raise ValueError("no image data")
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise ValueError("length")
        if marker not in JPEG_DROP:
            out += data[pos:end]
        pos = end
        if marker == 0xDA:  # start of scan: the image data follows, up to the end-of-image marker
            eoi = data.find(b"\xff\xd9", pos)
            if eoi < 0:
                raise ValueError("no end")
            out += data[pos:eoi + 2]  # anything appended after the image is dropped too
            return bytes(out)


def _clean_png(data: bytes) -> bytes:
    out = bytearray(PNG_SIGNATURE)
    pos = len(PNG_SIGNATURE)
    first = True
    while True:
        if pos + 12 > len(data):
            raise ValueError("chunk")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise ValueError("length")
        (crc,) = struct.unpack(">I", data[end - 4:end])
        if zlib.crc32(data[pos + 4:end - 4]) != crc:
            raise ValueError("crc")
        if first and kind != b"IHDR":
            raise ValueError("IHDR")
        first = False
        if kind in PNG_KEEP:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            return bytes(out)
