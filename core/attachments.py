"""Attachments (附件): photos and scans stored once by content hash, validated by what they contain.

An upload is accepted only when its bytes *are* what we keep: an image is decoded and re-encoded
with Pillow (EXIF, GPS and every other metadata dropped, orientation applied, oversized photos
scaled down), a PDF must carry the PDF signature and trailer. The file name and the browser's
content type are never trusted. Files live under ``ATTACHMENTS_DIR`` (default: the instance
folder's ``attachments/``) as ``ab/cd/<sha256>.<ext>``; nothing serves that folder directly — the
package that owns an attachment serves it through :func:`send_attachment` after its own
permission check.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Response, current_app
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now as clock_now
from core.exceptions import DomainError
from core.extensions import db

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/jpeg", "jpg"),
                 "GIF": ("image/png", "png"), "BMP": ("image/jpeg", "jpg")}
PDF_MIME = "application/pdf"
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is refused as a decompression bomb
MAX_SIDE = 2560  # phone photos are scaled down to this long side: plenty to read a nameplate
_PDF_HEADER = re.compile(rb"^%PDF-[12]\.[0-9]")


class Attachment(db.Model):
    """One stored file; ``owner`` names the package room that decides who may see it."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    mime: Mapped[str] = mapped_column(String(40))
    extension: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None]
    height: Mapped[int | None]
    original_name: Mapped[str] = mapped_column(String(200), default="")
    owner: Mapped[str] = mapped_column(String(40), index=True)  # e.g. "safety.violation", "kb.image"
    owner_id: Mapped[int | None] = mapped_column(index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock_now)

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    @property
    def relative_path(self) -> str:
        return f"{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}.{self.extension}"


@dataclass(frozen=True)
class PreparedFile:
    """An upload checked and normalised, ready to store (the slow work done before the transaction)."""

    content: bytes
    sha256: str
    mime: str
    extension: str
    width: int | None
    height: int | None
    original_name: str


def max_upload_bytes() -> int:
    """The size limit for one attachment (``ATTACHMENT_MAX_BYTES``, default 8 MB)."""
    return int(current_app.config.get("ATTACHMENT_MAX_BYTES") or 8 * 1024 * 1024)


def storage_root() -> Path:
    """Where attachments live: ``ATTACHMENTS_DIR`` or the instance folder's ``attachments``."""
    configured = current_app.config.get("ATTACHMENTS_DIR")
    return Path(configured or os.path.join(current_app.instance_path, "attachments"))


def prepare_upload(filename: str, payload: bytes, *, allow_pdf: bool = True) -> PreparedFile:
    """Check an upload by its content; raise DomainError (in Chinese, naming the file) if refused."""
    name = os.path.basename(filename or "")[:200] or "upload"
    if not payload:
        raise DomainError(f"文件“{name}”是空的。")
    if len(payload) > max_upload_bytes():
        raise DomainError(f"文件“{name}”超过 {max_upload_bytes() // (1024 * 1024)} MB，请压缩后再上传。")
    if _PDF_HEADER.match(payload):
        if not allow_pdf:
            raise DomainError(f"文件“{name}”不是图片，这里只能上传照片。")
        return _prepare_pdf(name, payload)
    return _prepare_image(name, payload)


def _prepare_pdf(name: str, payload: bytes) -> PreparedFile:
    tail = payload[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail or b" obj" not in payload[:65536]:
        raise DomainError(f"文件“{name}”不是完整的 PDF 文件（缺少文件结构），请重新扫描或导出。")
    digest = hashlib.sha256(payload).hexdigest()
    return PreparedFile(payload, digest, PDF_MIME, "pdf", None, None, name)


def _prepare_image(name: str, payload: bytes) -> PreparedFile:
    from PIL import Image, ImageOps, UnidentifiedImageError

    refused = DomainError(f"文件“{name}”不是有效的图片或 PDF（按文件内容识别），未上传。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(payload)) as probe:
                fmt = probe.format
                if fmt not in IMAGE_FORMATS or probe.width * probe.height > MAX_PIXELS:
                    raise refused
                probe.verify()
            with Image.open(io.BytesIO(payload)) as image:
                image.load()
                clean = _normalised(ImageOps.exif_transpose(image) or image)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:
        raise refused from error
    mime, extension = IMAGE_FORMATS[fmt]
    buffer = io.BytesIO()
    if extension == "jpg":
        clean.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    else:
        clean.save(buffer, "PNG", optimize=True)
    content = buffer.getvalue()
    return PreparedFile(content, hashlib.sha256(content).hexdigest(), mime, extension, clean.width,
                        clean.height, name)


def _normalised(image):
    """A fresh image holding only the pixels (no EXIF/GPS/ICC/text chunks), scaled to MAX_SIDE."""
    from PIL import Image

    mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
    pixels = image.convert(mode)
    if max(pixels.size) > MAX_SIDE:
        pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


def store_attachment(prepared: PreparedFile, *, owner: str, owner_id: int | None, uploaded_by_id: int | None,
                     now: datetime) -> Attachment:
    """Write the file (once per content hash) and add its row; the caller commits."""
    attachment = Attachment(sha256=prepared.sha256, mime=prepared.mime, extension=prepared.extension,
                            size=len(prepared.content), width=prepared.width, height=prepared.height,
                            original_name=prepared.original_name, owner=owner, owner_id=owner_id,
                            uploaded_by_id=uploaded_by_id, created_at=now)
    target = storage_root() / attachment.relative_path
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(prepared.content)
        os.chmod(temporary, 0o640)
        os.replace(temporary, target)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def send_attachment(attachment: Attachment, *, download: bool = False) -> Response:
    """The file as a response (call only after the owner's permission check): private, never sniffed."""
    from flask import abort

    path = storage_root() / attachment.relative_path
    if not path.is_file():
        abort(404)
    inline = not download and (attachment.is_image or attachment.mime == PDF_MIME)
    name = f"{attachment.id}.{attachment.extension}"
    response = Response(path.read_bytes(), mimetype=attachment.mime, headers={
        "Content-Disposition": f"{'inline' if inline else 'attachment'}; filename={name}",
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox"})
    response.set_etag(attachment.sha256)
    return response
