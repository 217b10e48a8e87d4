"""Who may see and change knowledge-base documents (the kb's scope rules, in one place).

- the safety department (安全管理部门) drafts, approves, publishes and archives anything;
- a department safety officer (部门安全员) drafts and submits procedures, cases, hazard
  lists and emergency plans (现场处置方案) owned by their own department;
- a team leader (班组长) drafts and submits their own team's hazard list;
- everyone else reads published, unarchived documents only: anything else is a 404;
- readers' lists (who has confirmed) are for managers, within their scope (org.permissions).

Services and views ask these questions; views never test roles themselves.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import ColumnElement, and_, false, or_, true

from kb.models import Document, DocumentKind, Revision, RevisionStatus
from org.models import Department, Employee, Role, Team
from org.permissions import is_manager, led_team_ids

OFFICER_KINDS = (DocumentKind.PROCEDURE, DocumentKind.CASE, DocumentKind.HAZARD_LIST, DocumentKind.EMERGENCY_PLAN)


def is_publisher(actor: Employee) -> bool:
    """The safety department approves and publishes."""
    return actor.has_role(Role.SAFETY_DEPT)


def is_author(actor: Employee) -> bool:
    """May draft at least some documents."""
    return actor.has_role(Role.SAFETY_DEPT, Role.SAFETY_OFFICER, Role.TEAM_LEADER)


def creatable_kinds(actor: Employee) -> list[DocumentKind]:
    """Kinds this user may start a new document of."""
    if is_publisher(actor):
        return list(DocumentKind)
    kinds = []
    if actor.has_role(Role.SAFETY_OFFICER):
        kinds.extend(OFFICER_KINDS)
    elif actor.has_role(Role.TEAM_LEADER) and led_team_ids(actor):
        kinds.append(DocumentKind.HAZARD_LIST)
    return kinds


def drafts_only_for_led_teams(actor: Employee) -> bool:
    """A team leader who is neither safety officer nor safety department: drafts their teams' hazard lists only."""
    return bool(led_team_ids(actor)) and not actor.has_role(Role.SAFETY_OFFICER, Role.SAFETY_DEPT)


def may_draft_for(actor: Employee, kind: DocumentKind, owner: Department, team: Team | None) -> bool:
    """May start a ``kind`` document owned by ``owner`` (a team leader: for a team they lead)."""
    if is_publisher(actor):
        return True
    if kind is DocumentKind.HAZARD_LIST and team is not None and team.id in led_team_ids(actor):
        return True
    return owner.id == actor.department_id


def may_file_under_team(actor: Employee, document: Document, team: Team | None) -> bool:
    """May put a hazard list under ``team`` (its own team, one they lead, or one of their department)."""
    if is_publisher(actor) or team is None or document.kind != DocumentKind.HAZARD_LIST:
        return True
    return (team.id == document.team_id or team.id in led_team_ids(actor)
            or team.department_id == actor.department_id)


def may_edit_revision(actor: Employee, status: str) -> bool:
    """May change a revision in this state: a draft; the safety department also one in review."""
    return status == RevisionStatus.DRAFT or (status == RevisionStatus.IN_REVIEW and is_publisher(actor))


def owner_department_clause(actor: Employee) -> ColumnElement[bool]:
    """WHERE clause on Department: those ``actor`` may draft for (all, for the safety department)."""
    return true() if is_publisher(actor) else Department.id == actor.department_id


def hazard_team_clause(actor: Employee) -> ColumnElement[bool]:
    """WHERE clause on Team: teams whose hazard list ``actor`` may draft (led, or an officer's department)."""
    if is_publisher(actor):
        return true()
    clauses = [Team.id.in_(led_team_ids(actor))]
    if actor.has_role(Role.SAFETY_OFFICER):
        clauses.append(Team.department_id == actor.department_id)
    return or_(*clauses)


def can_edit(actor: Employee, document: Document) -> bool:
    """May draft a revision of ``document`` and submit it for review."""
    if is_publisher(actor):
        return True
    if (actor.has_role(Role.SAFETY_OFFICER) and document.kind in OFFICER_KINDS
            and document.owner_department_id == actor.department_id):
        return True
    return (document.kind == DocumentKind.HAZARD_LIST and document.team_id is not None
            and document.team_id in led_team_ids(actor))


def editable_clause(actor: Employee) -> ColumnElement[bool]:
    """WHERE clause: the documents ``actor`` may edit (mirrors :func:`can_edit`)."""
    if is_publisher(actor):
        return true()
    clauses = []
    if actor.has_role(Role.SAFETY_OFFICER):
        clauses.append(and_(Document.kind.in_([k.value for k in OFFICER_KINDS]),
                            Document.owner_department_id == actor.department_id))
    teams = led_team_ids(actor)
    if teams:
        clauses.append(and_(Document.kind == DocumentKind.HAZARD_LIST, Document.team_id.in_(teams)))
    return or_(*clauses) if clauses else false()


def readable_clause(actor: Employee) -> ColumnElement[bool]:
    """WHERE clause: the documents ``actor`` may open (published, or theirs to edit)."""
    return or_(Document.is_published, editable_clause(actor))


def can_read(actor: Employee, document: Document) -> bool:
    """May open ``document`` at all (else 404)."""
    return document.is_published or can_edit(actor, document)


def may_see_readers(actor: Employee) -> bool:
    """May open a document's readers list (who has confirmed), limited to their own scope."""
    return is_manager(actor)


def separate_approval() -> bool:
    """The company setting 编制与批准分离 (on by default)."""
    value = current_app.config.get("SEPARATE_APPROVAL", True)
    return str(value).lower() not in {"0", "false", "no", "off"}


def may_approve(actor: Employee, revision: Revision) -> bool:
    """A publisher may approve any revision but, while the setting is on, one they drafted."""
    return is_publisher(actor) and not (separate_approval() and revision.author_id == actor.id)
