"""The employee form names departments and teams by Chinese name, never by code."""

import re

from org.models import Role


def test_employee_form_offers_units_by_name(client, login, make_employee, make_team):
    team = make_team(code="CY1", name="冲压一班")
    team.department.code, team.department.name = "CY", "冲压车间"
    login(make_employee(roles={Role.ADMIN}))
    page = client.get("/org/employees/new").get_data(as_text=True)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert "冲压车间" in options and "冲压一班（冲压车间）" in options
    assert not [text for text in options if "CY" in text]
    assert ">男</option>" in page and ">女</option>" in page
