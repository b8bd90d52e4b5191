"""Checking and cleaning photos uploaded by citizens: decoded with Pillow, re-encoded without metadata.

A file is a photo when Pillow decodes it as JPEG, PNG or WebP — the name and the first bytes are not
trusted. Before decoding, a file over :data:`PHOTO_MAX_BYTES` is refused, and so is an image whose header
announces more than :data:`PHOTO_MAX_PIXELS` pixels (a decompression bomb: a few kilobytes of PNG that
would decode into gigabytes). The clean copy has the EXIF orientation applied, colours converted to sRGB
when an ICC profile came with it, the long side scaled down to :data:`PHOTO_LONG_SIDE` pixels, and no
metadata at all (EXIF with GPS position and camera, XMP, ICC profile, comments, PNG text chunks): the
pixels are copied into a new image before saving. HEIC/HEIF (iPhone) is not read by Pillow and is refused
with a hint to export JPEG. Messages are Chinese, name the field (照片) and never echo the file name.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from lvzhi.core.errors import DomainError

PHOTO_MAX_COUNT = 3
"""Photos per message at most."""
PHOTO_MAX_BYTES: int = getattr(settings, "PHOTO_MAX_BYTES", 5 * 1024 * 1024)
"""Largest upload accepted, in bytes (5 MB), checked before decoding."""
PHOTO_MAX_PIXELS = 50_000_000
"""Largest width × height accepted (50 megapixels: the largest ordinary phone camera mode), read from the
header before decoding; more is treated as a decompression bomb."""
PHOTO_LONG_SIDE = 2048
"""The clean copy's longer side at most, in pixels (scaled down keeping the aspect ratio, never up)."""

# Pillow format → (file extension, MIME type) of the clean copy (same family as the upload).
_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


@dataclass(frozen=True)
class CleanPhoto:
    """A photo re-encoded without metadata: ``data`` (bytes), ``extension`` (``jpg``/``png``/``webp``),
    ``content_type`` (MIME) and its ``width`` × ``height`` in pixels."""

    data: bytes
    extension: str
    content_type: str
    width: int
    height: int


def _refuse(text: str, field: str, index: int, count: int) -> DomainError:
    which = f"第 {index} 张照片" if count > 1 else "照片"
    return DomainError(f"{which}{text}", field=field)


def clean_photo(upload: IO[bytes] | Any, *, field: str = "photos", index: int = 1, count: int = 1) -> CleanPhoto:
    """Check one uploaded photo and return its clean copy (see the module docstring).

    ``upload``: a Django ``UploadedFile``/``File`` (``size`` and ``read``) or any binary file object.
    ``index``/``count`` number the photo in the message (“第 2 张照片……”). Raises :class:`DomainError`
    naming ``field`` for an empty, oversize, undecodable, non-JPEG/PNG/WebP or oversized-in-pixels file.
    """
    limit_mb = PHOTO_MAX_BYTES // (1024 * 1024)
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if not size:
        raise _refuse("是空文件。", field, index, count)
    if size > PHOTO_MAX_BYTES:
        raise _refuse(f"超过 {limit_mb} MB 的大小限制，请压缩后再上传。", field, index, count)
    upload.seek(0)
    not_image = "无法识别为图片：只接受 JPEG、PNG 或 WebP 格式的照片（iPhone 的 HEIC 照片请先导出为 JPEG）。"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(upload)
            image: Image.Image = opened
            if image.format not in _FORMATS:
                raise _refuse(not_image, field, index, count)
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise _refuse(f"像素过多（超过 {PHOTO_MAX_PIXELS // 1_000_000} 百万像素），请缩小后再上传。",
                              field, index, count)
            if image.format == "JPEG":
                image.draft("RGB", (PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))  # decode at a reduced scale: less memory
            image.load()
            fmt = str(image.format)
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(f"像素过多（超过 {PHOTO_MAX_PIXELS // 1_000_000} 百万像素），请缩小后再上传。",
                      field, index, count) from None
    except UnidentifiedImageError:
        raise _refuse(not_image, field, index, count) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refuse("已损坏，无法读取，请重新拍摄或选择其他照片。", field, index, count) from None
    image = _to_srgb(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if fmt == "JPEG" or not has_alpha:
        image = image.convert("L" if image.mode in ("L", "1", "I;16", "I") and fmt == "JPEG" else "RGB")
    else:
        image = image.convert("RGBA")
    image.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
    # A new image holds the pixels only: no info dict, so no EXIF, XMP, ICC, comments or text chunks.
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        bare.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        bare.save(out, "PNG", optimize=True)
    else:
        bare.save(out, "WEBP", quality=85)
    extension, content_type = _FORMATS[fmt]
    return CleanPhoto(out.getvalue(), extension, content_type, bare.width, bare.height)


def clean_photos(uploads: Sequence[Any], *, field: str = "photos") -> list[CleanPhoto]:
    """Check up to :data:`PHOTO_MAX_COUNT` photos (see :func:`clean_photo`); all or none: the first bad one
    raises :class:`DomainError` naming ``field``."""
    uploads = [u for u in uploads if u is not None]
    if len(uploads) > PHOTO_MAX_COUNT:
        raise DomainError(f"照片最多 {PHOTO_MAX_COUNT} 张，您选择了 {len(uploads)} 张。", field=field)
    return [clean_photo(u, field=field, index=i, count=len(uploads)) for i, u in enumerate(uploads, 1)]


def _to_srgb(image: Image.Image) -> Image.Image:
    """``image`` converted to sRGB when it carries an ICC profile (wide-gamut phone photos would otherwise
    look dull once the profile is dropped); unchanged when it has none or the profile cannot be read."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                              outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted if converted is not None else image
