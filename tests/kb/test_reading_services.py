"""The reading services other packages call: what applies to a position or team, and 已阅读确认."""

from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from kb.models import Acknowledgement, Document, DocumentKind
from kb.services.reading import acknowledge_revision, hazard_lists_for_team, procedures_for_position
from tests.conftest import NOW


def test_is_published_reads_the_same_in_python_and_sql(make_document):
    shown = make_document(title="现行规程")
    archived = make_document(title="已归档规程")
    archived.archived = True
    draft = make_document(title="草稿规程", published=False)
    db.session.commit()
    assert [shown.is_published, archived.is_published, draft.is_published] == [True, False, False]
    found = db.session.scalars(select(Document.title).where(Document.is_published)).all()
    assert found == ["现行规程"]


def test_position_procedures_and_team_hazard_lists_leave_out_drafts_and_archived(
        make_document, make_position, make_team):
    press, welder = make_position("press-operator", "冲压工"), make_position("welder", "焊工")
    team = make_team(code="CY1")
    make_document(title="2 冲压规程", positions=[press])
    make_document(title="1 冲压规程", positions=[press])
    make_document(title="焊接规程", positions=[welder])
    make_document(title="冲压规程草稿", positions=[press], published=False)
    make_document(title="旧冲压规程", positions=[press]).archived = True
    hazards = make_document(DocumentKind.HAZARD_LIST, title="冲压一班危险源清单")
    hazards.team = team
    db.session.commit()
    assert [d.title for d in procedures_for_position(press.id)] == ["1 冲压规程", "2 冲压规程"]
    assert procedures_for_position(None) == []
    assert [d.title for d in hazard_lists_for_team(team.id)] == ["冲压一班危险源清单"]
    assert hazard_lists_for_team(None) == []


def test_acknowledging_a_revision_twice_keeps_the_first_time(make_document, make_employee):
    worker = make_employee()
    revision = make_document().published_revision
    first = acknowledge_revision(worker, revision, NOW)
    again = acknowledge_revision(worker, revision, NOW + timedelta(hours=1))
    db.session.commit()
    assert again.id == first.id and again.acknowledged_at == NOW
    assert db.session.scalar(select(db.func.count(Acknowledgement.id))) == 1
