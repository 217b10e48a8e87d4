"""Managers' pages and exports cost the same number of queries for 10 people as for 500."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from bench._people import add_people, shared
from core.extensions import db
from tests.conftest import NOW


@contextmanager
def counting():
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _queries(client, url: str) -> int:
    client.get(url)  # warm: settings, first-use caches
    with counting() as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen)


@pytest.fixture
def pages(plant, app, login):
    team, dept = plant["team1"], plant["dept"]
    officer, leader, safety = app.test_client(), app.test_client(), app.test_client()
    login(plant["officer"], target=officer)
    login(plant["leader1"], target=leader)
    login(plant["safety"], target=safety)
    base = "/training/records"
    return {
        "department dashboard": (officer, f"{base}/departments/{dept.id}"),
        "team dashboard": (leader, f"{base}/teams/{team.id}"),
        "team leader's home": (leader, "/"),
        "safety officer's home": (officer, "/"),
        "safety department's home (company panel)": (safety, "/"),
        "team export csv": (officer, f"{base}/teams/{team.id}/export.csv"),
        "team export xlsx": (officer, f"{base}/teams/{team.id}/export.xlsx"),
        "department export csv": (officer, f"{base}/departments/{dept.id}/export.csv"),
        "department export xlsx": (officer, f"{base}/departments/{dept.id}/export.xlsx"),
    }


def test_managers_pages_cost_the_same_queries_for_10_and_500_people(plant, pages):
    fixtures = shared(plant["team1"], plant["rules"].id, NOW, plant["press"].id)
    add_people(fixtures, 10, start=0, at=NOW)
    db.session.commit()
    small = {name: _queries(client, url) for name, (client, url) in pages.items()}
    add_people(fixtures, 490, start=10, at=NOW)
    db.session.commit()
    large = {name: _queries(client, url) for name, (client, url) in pages.items()}
    assert large == small
    assert max(small.values()) < 80
    safety, home = pages["safety department's home (company panel)"]
    page = safety.get(home).get_data(as_text=True)
    assert "全公司培训概况" in page


def test_item_analysis_is_counted_by_the_database_and_matches_every_answer(plant, make_employee, make_exam, sit_exam,
                                                                          client, login):
    exam = make_exam()
    items = [{"iid": "a", "qid": 1, "stem": "冲床换模前必须？", "points": 2, "source_title": "冲压工安全操作规程",
              "source_section": "第三条", "source_document_id": plant["sop_press"].id},
             {"iid": "b", "qid": 2, "stem": "多选题", "points": 4, "source_title": "", "source_section": ""},
             {"iid": "c", "qid": 3, "stem": "全对的题", "points": 1, "source_title": "", "source_section": ""}]
    scores = [{"a": 0, "b": 4, "c": 1}, {"a": 2, "b": 4, "c": 1}, {"a": 0, "b": 2.0, "c": 1}, {"c": 1}]
    for earned in scores:
        sit_exam(make_employee(), exam, 50, items=items, item_scores=earned)
    login(plant["safety"])
    with counting() as seen:
        page = client.get("/training/records/items").get_data(as_text=True)
    from training.records.services import item_analysis

    found = [(s.question_id, s.served, s.wrong, s.stem) for s in item_analysis()]
    assert found == [(1, 4, 3, "冲床换模前必须？"), (2, 4, 2, "多选题")]
    assert "冲压工安全操作规程" in page and "全对的题" not in page
    assert not any("FROM attempts" in q and "attempts.items" in q.split("FROM")[0] and "IN (" not in q
                   for q in seen)  # attempts' snapshots are never all loaded
