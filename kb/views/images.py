"""Images in documents (图文并茂): authors upload a photo or safety sign, the editor gets Markdown for it.

Images are checked and re-encoded by core.attachments (EXIF/GPS dropped); they are served to any
logged-in reader, like the knowledge base itself, and never from the instance folder directly.
"""

from __future__ import annotations

from flask import abort, jsonify, render_template, request, url_for
from flask_login import current_user, login_required

from core.attachments import Attachment, prepare_upload, send_attachment, store_attachment
from core.clock import now
from core.exceptions import DomainError
from core.extensions import db
from core.permissions import deny
from kb.permissions import is_author
from kb.views.common import bp

IMAGE_OWNER = "kb.image"


def image_markdown(attachment: Attachment) -> str:
    """The Markdown an author pastes: ``![name](/kb/images/<id>)`` (brackets removed from the name)."""
    name = attachment.original_name.rsplit(".", 1)[0].replace("[", "").replace("]", "")[:60] or "图片"
    return f"![{name}]({url_for('kb.show_image', attachment_id=attachment.id)})"


@bp.post("/images")
@login_required
def upload_image():
    """Store an image for a document; JSON for the editor's button, a page with the snippet otherwise."""
    if not is_author(current_user):
        deny(403)
    upload = request.files.get("image")
    try:
        if upload is None or not upload.filename:
            raise DomainError("请选择要插入的图片。")
        prepared = prepare_upload(upload.filename, upload.read(), allow_pdf=False)
        attachment = store_attachment(prepared, owner=IMAGE_OWNER, owner_id=None, uploaded_by_id=current_user.id,
                                      now=now())
    except DomainError as error:
        db.session.rollback()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=error.message), 422
        return render_template("kb/image_uploaded.html", markdown=None, error=error.message), 422
    db.session.commit()
    markdown = image_markdown(attachment)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(markdown=markdown, url=url_for("kb.show_image", attachment_id=attachment.id))
    return render_template("kb/image_uploaded.html", markdown=markdown, error=None)


@bp.get("/images/<int:attachment_id>")
@login_required
def show_image(attachment_id: int):
    """An image embedded in a document (knowledge-base images only)."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.owner != IMAGE_OWNER:
        abort(404)
    return send_attachment(attachment)
