"""我的岗位 lists each procedure once: not again under 待阅读确认."""

from __future__ import annotations

from org.models import Role


def test_my_position_lists_each_procedure_once(client, login, make_team, make_position, make_employee, make_document):
    press = make_position(name="冲压工")
    worker = make_employee(team=make_team(), position=press, roles={Role.EMPLOYEE})
    make_document(slug="sop-press", title="冲压工安全操作规程", positions=[press])
    login(worker)
    page = client.get("/kb/my-position").get_data(as_text=True)
    assert page.count("冲压工安全操作规程") == 1
    assert "下面有 1 份文件待阅读确认" in page
