"""Attachments are judged by content: HTML dressed as a JPEG is refused, GPS tags are gone, PDFs pass."""

from __future__ import annotations

import io

import pytest

from core.attachments import Attachment, prepare_upload, storage_root
from core.exceptions import DomainError
from core.extensions import db
from org.models import Role
from tests.safety.conftest import gps_jpeg, png_bytes

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>"
       b"\nendobj\nxref\n0 3\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R >>\nstartxref\n110\n%%EOF\n")


def test_html_claiming_to_be_a_jpeg_is_refused(app):
    with pytest.raises(DomainError) as refused:
        prepare_upload("现场.jpg", b"<html><script>alert(1)</script></html>")
    assert "现场.jpg" in refused.value.message and "不是有效的图片" in refused.value.message
    with pytest.raises(DomainError):
        prepare_upload("scan.pdf", b"%PDF-1.4\n<script>no trailer</script>")  # a signature is not enough


def test_gps_tag_is_gone_after_upload(app):
    from PIL import Image

    original = gps_jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)  # the test photo really carries GPS
    prepared = prepare_upload("IMG_0001.JPG", original)
    stored = Image.open(io.BytesIO(prepared.content))
    assert stored.format == "JPEG" and not stored.getexif() and b"GPS" not in prepared.content
    assert b"PhoneCam" not in prepared.content


def test_pdf_is_kept_as_is_and_sizes_are_limited(app):
    prepared = prepare_upload("证件.pdf", PDF)
    assert prepared.mime == "application/pdf" and prepared.content == PDF
    with pytest.raises(DomainError, match="不是图片"):
        prepare_upload("证件.pdf", PDF, allow_pdf=False)
    app.config["ATTACHMENT_MAX_BYTES"] = 100
    with pytest.raises(DomainError, match="超过"):
        prepare_upload("big.png", png_bytes(fmt="PNG") + b"\0" * 200)


def test_kb_image_upload_returns_markdown_and_renders(client, login, make_employee, app):
    from kb.render import render_markdown

    author = make_employee(roles={Role.SAFETY_DEPT})
    login(author)
    response = client.post("/kb/images", data={"image": (io.BytesIO(gps_jpeg()), "标志.jpg")},
                           headers={"Accept": "application/json"}, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    markdown = response.get_json()["markdown"]
    attachment = db.session.query(Attachment).one()
    assert markdown == f"![标志](/kb/images/{attachment.id})"
    assert (storage_root() / attachment.relative_path).is_file()
    assert f'<img alt="标志" src="/kb/images/{attachment.id}">' in render_markdown(markdown)
    served = client.get(f"/kb/images/{attachment.id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    refused = client.post("/kb/images", data={"image": (io.BytesIO(b"<svg onload=alert(1)>"), "x.png")},
                          headers={"Accept": "application/json"}, content_type="multipart/form-data")
    assert refused.status_code == 422 and "不是有效的图片" in refused.get_json()["error"]


def test_plain_employee_cannot_upload_kb_images(client, login, make_employee):
    login(make_employee())
    response = client.post("/kb/images", data={"image": (io.BytesIO(png_bytes()), "a.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
