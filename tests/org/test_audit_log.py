"""The audit log reads as Chinese sentences: names, not codes; 字段：值, not JSON."""

from __future__ import annotations

import re

from core.audit import ACTION_LABELS, record_event
from core.extensions import db
from org.models import Role

IDENTIFIER = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+(?![\w/.-])|\\u[0-9a-f]{4}|\{\"")


def _table(html: str) -> str:
    """The visible text of the log's rows."""
    return re.sub(r"<[^>]+>", " ", html[html.index("<tbody>"):html.index("</tbody>")])


def test_audit_log_names_targets_and_reads_details(client, login, make_employee, make_team, make_document):
    admin = make_employee(roles={Role.ADMIN}, name="周建国")
    team = make_team(code="cy-press-1", name="冲压一班")
    worker = make_employee(emp_no="20001", name="赵红梅")
    document = make_document("hazard_list", slug="hazards-cy1", title="冲压车间危险源辨识清单")
    record_event("export", actor_id=admin.id, target=f"hazard_list:{document.slug}",
                 detail={"revision": 2, "rows": 14, "format": "xlsx"})
    record_event("org.change", actor_id=admin.id, target=f"teams:{team.code}", detail={"name": "冲压一班"})
    record_event("employee.roles", actor_id=admin.id, target=worker.emp_no,
                 detail={"from": ["employee"], "to": ["employee", "team_leader"]})
    record_event("employee.update", actor_id=admin.id, target=worker.emp_no,
                 detail={"changes": {"status": ["in_post", "left"], "name": ["赵红", "赵红梅"]}})
    db.session.commit()
    login(admin)
    body = _table(client.get("/admin/audit").get_data(as_text=True))
    assert "冲压车间危险源辨识清单" in body and "格式：Excel" in body and "行数：14" in body
    assert "组织架构变更：冲压一班" in body
    assert "员工 → 员工、班组长" in body
    assert "状态 在岗 → 离职" in body and "20001 赵红梅" in body
    assert IDENTIFIER.findall(body) == []


def test_action_filter_offers_labels_not_codes(client, login, make_employee):
    admin = make_employee(roles={Role.ADMIN})
    login(admin)
    page = client.get("/admin/audit?action=login.success").get_data(as_text=True)
    assert f'<option selected>{ACTION_LABELS["login.success"]}</option>' in page
    assert "login.failure" not in page and "login.success" not in page.replace("action=login.success", "")
    rows = _table(client.get("/admin/audit", query_string={"action": "登录成功"}).get_data(as_text=True))
    assert "登录成功" in rows and "登录失败" not in rows
