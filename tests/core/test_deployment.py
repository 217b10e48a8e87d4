"""Anzhi is deployed from its checkout (README, "Deploying"): the files the site needs are
found there, the app refuses to start without them, and the README says so plainly."""

from __future__ import annotations

import re

import pytest

from core.app import CHECKOUT_FILES, ROOT, check_checkout


def _deploy_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(r"^## Deploying\n(.*?)(?=^## )", readme, re.S | re.M).group(1)


def test_the_checkout_has_everything_the_site_reads():
    check_checkout(ROOT)
    assert (ROOT / "kb" / "search" / "userdict.txt").is_file()  # jieba's user dictionary
    assert list((ROOT / "migrations" / "versions").glob("*.py"))
    assert (ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po").is_file()


def test_the_app_refuses_to_start_outside_a_checkout(tmp_path):
    (tmp_path / "core").mkdir()  # what site-packages holds after `pip install .` of a wheel
    with pytest.raises(RuntimeError, match=r"pip install -e \."):
        check_checkout(tmp_path)
    assert set(CHECKOUT_FILES) >= {"templates", "static", "migrations", "translations", "wsgi.py"}


def test_the_readme_deploys_from_the_checkout():
    deploy = _deploy_section()
    assert "runs from its checkout" in deploy
    assert "pip install -e ." in deploy
    assert not re.search(r"pip install \.(?!\S)", deploy)  # a wheel would lack templates & co.
    assert "pybabel compile" in deploy  # the .mo catalogues are built, not committed


def test_the_readme_points_into_the_repository_for_the_design():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    for note in ("docs/DESIGN.md", "docs/STYLE.md"):
        assert note in readme and (ROOT / note).is_file()
