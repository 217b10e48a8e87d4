"""The input guard (core.input, core.forms.Form): ids beyond what the database holds are 404 or
ignored, every form in every package runs the guard, and its rules refuse what the issue found."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date

import pytest
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter

from core.forms import Form
from core.input import DB_INT_MAX, IdConverter, day_problem, number_problem, text_problem
from org.models import Role

HUGE = "99999999999999999999"


def test_every_int_in_every_url_is_bounded(app):
    converters = [c for rule in app.url_map.iter_rules() for c in rule._converters.values()
                  if isinstance(c, IntegerConverter)]
    assert len(converters) > 40
    assert all(isinstance(c, IdConverter) and c.max == DB_INT_MAX for c in converters)


@pytest.mark.parametrize("value", [HUGE, "2147483648", "-1", "١٢", "１２", "2147483647"])
def test_an_id_the_database_cannot_hold_is_404_not_500(client, login, make_employee, value):
    login(make_employee(roles={Role.ADMIN, Role.SAFETY_DEPT}))
    for url in (f"/org/employees/{value}", f"/quiz/attempts/{value}/result",
                f"/training/records/employees/{value}", f"/safety/people/{value}/violations"):
        assert client.get(url).status_code == 404, url


def test_query_ids_too_large_are_ignored(client, login, make_employee, make_team):
    team = make_team()
    login(make_employee(roles={Role.ADMIN, Role.SAFETY_DEPT}, team=team))
    for url in (f"/org/employees?page={HUGE}&team={HUGE}&department=²",
                f"/kb/procedures?page={HUGE}&position={HUGE}&department=-1",
                f"/kb/hazards?team={HUGE}", f"/admin/audit?page={HUGE}",
                f"/safety/violations/stats?year={HUGE}", f"/safety/certificates/expiring?department=²&window={HUGE}"):
        response = client.get(url)
        assert response.status_code == 200, url


def _package_forms() -> list[type]:
    for package in ("org", "kb", "training", "safety"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if info.name.rsplit(".", 1)[-1] == "forms" or ".forms." in info.name:
                importlib.import_module(info.name)

    def below(cls: type) -> list[type]:
        return [sub for direct in cls.__subclasses__() for sub in [direct, *below(direct)]]

    return [cls for cls in below(FlaskForm) if cls.__module__.split(".")[0] in ("org", "kb", "training", "safety")]


def test_every_form_in_every_package_runs_the_guard(app):
    forms = _package_forms()
    assert len(forms) > 25
    assert [f"{cls.__module__}.{cls.__name__}" for cls in forms if not issubclass(cls, Form)] == []


@pytest.mark.parametrize("value", ["李\u202egnp.exe", "\u2066x\u2069", "a\u200fb", "a\x00b", "\x1b[31m", "铃\x07",
                                   "竖\x0b", "\u200b", "\u200b\u200c\ufeff", "   ", "行\n二"])
def test_single_line_text_refuses_controls_direction_and_invisible_only(value):
    assert text_problem(value)


@pytest.mark.parametrize("value", ["张三", "Zhang San", "👨\u200d👩\u200d👧 一家", "A-01（东）"])
def test_ordinary_text_passes(value):
    assert text_problem(value) is None


def test_multi_line_text_keeps_line_breaks_and_tabs_only():
    assert text_problem("第一行\r\n\t第二行", multiline=True) is None
    assert text_problem("第一行\n\x0b第二行", multiline=True)


@pytest.mark.parametrize("raw", ["²", "sNaN", "NaN", "Infinity", "1e400", "1" * 25, "١٢", "１２", "0x10", ""])
def test_numbers_must_be_plain_ascii(raw):
    assert number_problem(raw, 0, 1000)


def test_numbers_in_range_pass_and_out_of_range_are_named():
    assert number_problem("12", 0, 100, whole=True) is None
    assert number_problem("1.5", 0, 10) is None
    assert "0–100" in number_problem("101", 0, 100, whole=True)


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31), date(2101, 1, 1)])
def test_dates_outside_1900_2100_are_refused(day):
    assert "1900-01-01" in day_problem(day)


def test_json_body_that_is_not_an_object_of_finite_numbers_is_400(app):
    from werkzeug.exceptions import HTTPException

    from core.input import json_object

    for body in ("Infinity", "1e400", "[1, 2]", '"文字"', '{"revision": NaN}', "{" * 5000, "not json"):
        with app.test_request_context("/x", method="POST", data=body, content_type="application/json"):
            with pytest.raises(HTTPException) as refused:
                json_object()
            assert refused.value.response.status_code == 400
            assert "请" in refused.value.response.get_json()["message"]
    with app.test_request_context("/x", method="POST", data='{"a": 1.5}', content_type="application/json"):
        assert json_object() == {"a": 1.5}
