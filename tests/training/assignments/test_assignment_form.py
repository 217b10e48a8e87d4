"""The team leader's assignment form on a phone: own documents first, no repealed ones, checkboxes, a due date."""

from __future__ import annotations

import re

import pytest

from core.extensions import db
from tests.conftest import NOW

# 16:30 UTC on 23 November is 00:30 on the 24th in Beijing: the proposal is the 24th + 7.
LATE_EVENING_UTC = NOW.replace(hour=16, minute=30)


def _groups(page: str) -> dict[str, str]:
    """The documents checkbox list's groups: heading → the text of its lines (no native multi-select)."""
    listing = re.search(r'<div class="picker-list" id="documents">(.*?)</div>', page, re.S).group(1)
    parts = re.split(r'<p class="picker-group">([^<]*)</p>', listing)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.config(FROZEN_NOW=LATE_EVENING_UTC)
def test_leader_form_puts_team_and_position_documents_first_and_hides_repealed(plant, client, login):
    plant["rules"].validity = "已废止"
    db.session.commit()
    login(plant["leader1"])
    page = client.get("/training/assignments/new").get_data(as_text=True)
    groups = _groups(page)
    assert list(groups) == ["本班组的文档", "本班组岗位的操作规程", "其他文档"]
    assert "冲压一班危险源清单" in groups["本班组的文档"]
    assert "冲压工安全操作规程" in groups["本班组岗位的操作规程"]
    assert "行车安全操作规程" in groups["其他文档"]
    assert "安全生产法" not in page  # repealed
    assert re.search(r'<input[^>]*name="due_on"[^>]*value="2026-12-01"', page)
    assert re.search(r'<input[^>]*name="employees"[^>]*type="checkbox"|<input[^>]*type="checkbox"[^>]*name="employees"',
                     page)
    assert '<select multiple' not in page.split('name="teams"')[0][-200:]
