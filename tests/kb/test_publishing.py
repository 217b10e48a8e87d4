"""Publishing workflow and acknowledgements, through the services."""

from datetime import timedelta

import pytest

from core.audit import AuditEvent
from core.exceptions import DomainError, ValidationFailed
from core.extensions import db
from kb.models import RevisionStatus
from kb.services.publishing import (
    create_document,
    publish_revision,
    reject_revision,
    start_revision,
    submit_revision,
    update_draft,
)
from kb.services.reading import AckState, ack_state, acknowledge, pending_acknowledgements, unacknowledged_employees
from kb.signals import revision_published
from org.models import Role
from tests.conftest import NOW
from tests.kb.helpers import hazard_input, procedure_input


@pytest.fixture
def setup(make_department, make_team, make_position, make_employee):
    dept = make_department("CY", "冲压车间")
    team = make_team(dept, code="CY1")
    press = make_position("press-operator", "冲压工")
    return {
        "dept": dept, "team": team, "press": press,
        "officer": make_employee(department=dept, roles={Role.SAFETY_OFFICER}),
        "safety": make_employee(roles={Role.SAFETY_DEPT}),
        "worker": make_employee(team=team, position=press),
        "worker2": make_employee(team=team, position=press),
    }


def test_officer_drafts_safety_dept_publishes_then_revision_supersedes(setup):
    s = setup
    revision = create_document(s["officer"], "procedure", s["dept"], procedure_input("press-operator"), NOW)
    submit_revision(s["officer"], revision, NOW)
    with pytest.raises(DomainError):
        publish_revision(s["officer"], revision, NOW)
    sent = []
    revision_published.connect(lambda doc, **kw: sent.append(kw["revision"].number), weak=False)
    publish_revision(s["safety"], revision, NOW)
    db.session.commit()
    doc = revision.document
    assert doc.is_published and doc.published_revision.number == 1 and [p.code for p in doc.positions] == [
        "press-operator"]
    assert sent == [1]
    assert db.session.query(AuditEvent).filter_by(action="kb.publish").count() == 1

    acknowledge(s["worker"], doc, NOW)
    acknowledge(s["worker"], doc, NOW)  # idempotent
    assert ack_state(s["worker"], doc) is AckState.CURRENT
    assert [r.employee for r in unacknowledged_employees(doc)] == [s["worker2"]]

    second = start_revision(s["officer"], doc, NOW)
    update_draft(s["officer"], second, procedure_input("press-operator", title="冲压工安全操作规程（2026版）"), NOW)
    publish_revision(s["safety"], second, NOW + timedelta(days=1))
    db.session.commit()
    assert revision.status == RevisionStatus.SUPERSEDED and doc.title == "冲压工安全操作规程（2026版）"
    assert ack_state(s["worker"], doc) is AckState.STALE
    states = {r.employee.id: r.state for r in unacknowledged_employees(doc)}
    assert states == {s["worker"].id: AckState.STALE, s["worker2"].id: AckState.NONE}
    assert [p.state for p in pending_acknowledgements(s["worker"])] == [AckState.STALE]


def test_officer_cannot_edit_other_department(setup, make_department, make_employee):
    other = make_employee(department=make_department(), roles={Role.SAFETY_OFFICER})
    revision = create_document(setup["officer"], "procedure", setup["dept"], procedure_input("press-operator"), NOW)
    with pytest.raises(DomainError):
        update_draft(other, revision, procedure_input("press-operator"), NOW)
    with pytest.raises(DomainError):
        create_document(other, "procedure", setup["dept"], procedure_input("press-operator"), NOW)
    with pytest.raises(DomainError):
        create_document(setup["officer"], "regulation", setup["dept"], procedure_input("press-operator"), NOW)


def test_reject_returns_to_draft_with_note(setup):
    revision = create_document(setup["officer"], "procedure", setup["dept"], procedure_input("press-operator"), NOW)
    submit_revision(setup["officer"], revision, NOW)
    with pytest.raises(DomainError):
        reject_revision(setup["safety"], revision, " ", NOW)
    reject_revision(setup["safety"], revision, "应急措施不全", NOW)
    assert revision.status == RevisionStatus.DRAFT and revision.review_note == "应急措施不全"


def test_invalid_fields_name_every_problem(setup):
    bad = procedure_input("no-such-position", ppe=[])
    with pytest.raises(ValidationFailed) as error:
        create_document(setup["safety"], "procedure", setup["dept"], bad, NOW)
    assert any("no-such-position" in p for p in error.value.problems)
    assert any("劳动防护用品" in p for p in error.value.problems)


def test_team_leader_drafts_own_team_hazard_list(setup, make_employee, make_team):
    leader = make_employee(team=setup["team"], roles={Role.TEAM_LEADER}, leads=setup["team"])
    revision = create_document(leader, "hazard_list", setup["dept"], hazard_input("CY1"), NOW)
    assert [r.danger for r in revision.hazard_rows] == [126, 720, 6]
    assert revision.hazard_rows[2].accident_type == "其他事故"
    other_team = make_team(setup["dept"], code="CY2")
    with pytest.raises(DomainError):
        create_document(leader, "procedure", setup["dept"], procedure_input("press-operator"), NOW)
    assert other_team.id != revision.document.team_id


def test_nobody_approves_their_own_draft_while_the_setting_is_on(app, setup, make_employee):
    s = setup
    colleague = make_employee(roles={Role.SAFETY_DEPT})
    revision = create_document(s["safety"], "procedure", s["dept"], procedure_input("press-operator"), NOW)
    submit_revision(s["safety"], revision, NOW)
    with pytest.raises(DomainError, match="编制人不能批准自己编制的文件"):
        publish_revision(s["safety"], revision, NOW)
    assert revision.status == RevisionStatus.IN_REVIEW
    publish_revision(colleague, revision, NOW)
    assert revision.status == RevisionStatus.PUBLISHED and revision.approver == colleague

    app.config["SEPARATE_APPROVAL"] = False
    own = create_document(s["safety"], "procedure", s["dept"], procedure_input("press-operator", title="另一份"), NOW)
    publish_revision(s["safety"], own, NOW)
    assert own.status == RevisionStatus.PUBLISHED
