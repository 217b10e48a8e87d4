"""Saving a draft renders its Markdown before the write transaction: a login answers at once
while a slow render runs, and the draft is saved as rendered."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from core.extensions import db
from kb import render
from kb.models import Revision
from tests.conftest import PASSWORD
from tests.kb.test_views import _published_procedure, org  # noqa: F401  (the fixture)

FORM = {"title": "冲压工安全操作规程", "owner": "CY", "positions": "press-operator", "ppe": "护目镜",
        "before_work": "检查", "during_work": "专注", "after_work": "断电", "prohibitions": "严禁伸手",
        "emergency": "急停", "change_note": "慢的正文", "body": "**慢的正文**"}


def test_a_login_answers_while_a_draft_renders(app, org, client, login, monkeypatch):  # noqa: F811
    _published_procedure(org)
    login(org["safety"])
    assert client.post("/kb/d/sop-press/revise").status_code == 302
    rendering = threading.Event()
    real = render.sanitize

    def slow_sanitize(html: str) -> str:  # a body that takes seconds to render
        if "慢的正文" in html:
            rendering.set()
            time.sleep(3)
        return real(html)

    monkeypatch.setattr(render, "sanitize", slow_sanitize)
    render._rendered.cache_clear()
    outcome = {}
    save = threading.Thread(target=lambda: outcome.update(response=client.post("/kb/d/sop-press/edit", data=FORM)))
    save.start()
    assert rendering.wait(5)
    started = time.perf_counter()
    response = app.test_client().post("/auth/login", data={"emp_no": org["worker"].emp_no, "password": PASSWORD})
    waited = time.perf_counter() - started
    still_rendering = save.is_alive()
    save.join(30)
    assert response.status_code == 302 and waited < 1.5 and still_rendering
    assert outcome["response"].status_code == 302
    monkeypatch.undo()
    db.session.rollback()  # end this thread's snapshot
    draft = db.session.scalar(select(Revision).where(Revision.number == 2))
    assert draft.body_html == "<p><strong>慢的正文</strong></p>" and draft.change_note == "慢的正文"
