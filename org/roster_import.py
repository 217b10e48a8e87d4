"""Roster import (花名册导入) from .xlsx or .csv: validate everything, then write all or nothing."""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from core.audit import audit_action
from core.clock import wall_now
from core.exceptions import ValidationFailed
from core.extensions import db
from core.input import day_problem, text_problem
from core.sheets import read_sheet
from org.models import ROLE_LABELS, Department, Employee, EmployeeRole, EmployeeStatus, Position, Role, Team
from org.services import (
    EMP_NO_PATTERN,
    EmployeeData,
    create_employee,
    describe,
    new_initial_password,
    normalize_emp_no,
    update_employee,
)
from org.signals import roster_row_checking, roster_row_imported

COLUMNS = {"工号": "emp_no", "姓名": "name", "性别": "gender", "部门": "department", "班组": "team",
           "岗位": "position", "入职日期": "hire_date", "状态": "status", "角色": "roles"}
REQUIRED = ("工号", "姓名", "部门")
# Columns other packages read (header → field), added with register_roster_columns at start-up.
EXTRA_COLUMNS: dict[str, str] = {}
MAX_ROWS = 5000
STATUS_BY_LABEL = {"在岗": EmployeeStatus.IN_POST, "离职": EmployeeStatus.LEFT, "": EmployeeStatus.IN_POST}
ROLE_BY_LABEL = {str(label): role for role, label in ROLE_LABELS.items()} | {
    "新员工": Role.EMPLOYEE,
    "安全员": Role.SAFETY_OFFICER,
    "安全部": Role.SAFETY_DEPT,
    "管理员": Role.ADMIN,
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


@dataclass
class RosterRow:
    """One data row as read from the file; ``line`` is its spreadsheet row number."""

    line: int
    values: dict[str, str]


@dataclass
class PlannedRow:
    line: int
    emp_no: str
    name: str
    action: str  # new / update / unchanged
    changes: dict[str, list[str]] = field(default_factory=dict)
    # What a person checking the preview reads: a new person's 部门/班组/岗位/角色, a change as (字段, 原, 新).
    details: dict[str, str] = field(default_factory=dict)
    shown_changes: list[tuple[str, str, str]] = field(default_factory=list)
    reopens_training: bool = False


@dataclass
class RosterPlan:
    rows: list[PlannedRow]
    source: list[RosterRow]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int
    passwords: list[tuple[str, str, str]]  # (工号, 姓名, 初始密码)


def read_roster(filename: str, payload: bytes) -> list[RosterRow]:
    """Read an .xlsx or .csv (UTF-8 with/without BOM, or GBK) into rows keyed by field name.

    The header is checked first and reading stops past MAX_ROWS non-empty rows.
    """
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(payload)
    if suffix == ".csv":
        return _csv_rows(_decode_csv(payload))
    raise ValidationFailed("文件格式不支持。", ["只支持 .xlsx 或 .csv 文件。"])


def _decode_csv(payload: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return payload.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed("无法识别文件编码。", ["CSV 文件须为 UTF-8 或 GBK 编码。"])


def _xlsx_rows(payload: bytes) -> list[RosterRow]:
    index: dict[str, int] = {}

    def check_header(cells: list[object]) -> None:
        index.update(_header_index([_cell_text(cell) for cell in cells]))

    found = read_sheet(payload, title="无法读取该 Excel 文件。", max_rows=MAX_ROWS, check_header=check_header)
    return _keep_rows([(row.line, [_cell_text(cell) for cell in row.cells]) for row in found], index)


def _csv_rows(text: str) -> list[RosterRow]:
    reader = csv.reader(io.StringIO(text))
    try:
        index = _header_index(next(reader, []))
        table = []
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(table) == MAX_ROWS:
                limit = f"一次最多导入 {MAX_ROWS} 行，本文件超过 {MAX_ROWS} 行（第 {line} 行起）。"
                raise ValidationFailed("行数过多。", [limit])
            table.append((line, cells))
    except csv.Error as error:  # a cell over the csv module's limit (128 KB), or a malformed quote
        reason = (f"第 {reader.line_num} 行有单元格超过 {csv.field_size_limit()} 个字符。"
                  if "field larger" in str(error) else f"第 {reader.line_num} 行格式有误，请另存为标准 CSV 后重试。")
        raise ValidationFailed("无法读取该 CSV 文件。", [reason]) from error
    return _keep_rows(table, index)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_index(cells: list[str]) -> dict[str, int]:
    """Field name → column position, after checking the header (row 1) has the required columns."""
    header = [cell.strip() for cell in cells]
    if not any(header):
        raise ValidationFailed("文件是空的。", ["第 1 行应为表头：" + "、".join(COLUMNS)])
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationFailed("表头不完整。", [f"第 1 行缺少列：{'、'.join(missing)}。"])
    known = COLUMNS | EXTRA_COLUMNS
    return {known[name]: i for i, name in enumerate(header) if name in known}


def _keep_rows(table: list[tuple[int, list[str]]], index: dict[str, int]) -> list[RosterRow]:
    rows = [RosterRow(line, {key: (cells[i].strip() if i < len(cells) else "") for key, i in index.items()})
            for line, cells in table]
    if not rows:
        raise ValidationFailed("文件中没有数据行。", ["表头下面没有任何员工。"])
    return rows


class _Lookups:
    """Departments, teams and positions by code and by name, loaded once per import."""

    def __init__(self) -> None:
        self.departments = self._index(db.session.scalars(select(Department)))
        self.positions = self._index(db.session.scalars(select(Position)))
        self.teams: dict[tuple[int, str], Team] = {}
        for team in db.session.scalars(select(Team)):
            self.teams[(team.department_id, team.code.upper())] = team
            self.teams[(team.department_id, team.name)] = team

    @staticmethod
    def find(index: dict[str, object], text: str):
        """Look a unit up by code (any case) or by exact name."""
        return index.get(text.upper()) or index.get(text)

    @staticmethod
    def _index(items) -> dict[str, object]:
        found: dict[str, object] = {}
        for item in items:
            found[item.code.upper()] = item
            found[item.name] = item
        return found


def _problem(row: RosterRow, column: str, message: str) -> str:
    return f"第 {row.line} 行「{column}」：{message}"


def _split_roles(text: str) -> list[str]:
    parts = text.replace("，", "、").replace(",", "、").split("、")
    return [part.strip() for part in parts if part.strip()]


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


Report = Callable[[str, str], None]  # (column, message): one problem of the row being read


def _validate_row(row: RosterRow, lookups: _Lookups, problems: list[str]) -> EmployeeData | None:
    """The row as EmployeeData, or None after adding each of its problems to ``problems``."""
    before = len(problems)

    def report(column: str, message: str) -> None:
        problems.append(_problem(row, column, message))

    v = row.values
    emp_no = _read_emp_no(v.get("emp_no", ""), report)
    name = v.get("name", "")
    if not name or len(name) > 60:
        report("姓名", "不能为空，且不超过 60 个字。")
    _check_texts(v, report)
    department, team = _read_department_and_team(v, lookups, report)
    position = _read_position(v.get("position", ""), lookups, report)
    hire_date = _read_hire_date(v.get("hire_date", ""), report)
    status = STATUS_BY_LABEL.get(v.get("status", ""))
    if status is None:
        report("状态", f"“{v['status']}”应为“在岗”或“离职”。")
    roles = _read_roles(v.get("roles", ""), report)
    gender = v.get("gender")
    if gender not in (None, "", "男", "女"):
        report("性别", f"“{gender}”应为“男”或“女”（可空）。")
    if len(problems) > before:
        return None
    return EmployeeData(emp_no, name, department, team, position, hire_date, status, frozenset(roles), gender)


def _check_texts(values: dict[str, str], report: Report) -> None:
    """Control characters, direction overrides and invisible-only values are refused in every column."""
    headers = {field_name: header for header, field_name in COLUMNS.items()}
    for key, value in values.items():
        problem = text_problem(value, blank_ok=key != "name")
        if problem:
            report(headers.get(key, key), problem)


def _read_emp_no(raw_no: str, report: Report) -> str:
    emp_no = normalize_emp_no(raw_no)
    if not raw_no:
        report("工号", "不能为空。")
    elif raw_no.strip().upper() != emp_no:
        report("工号", f"“{raw_no}”含全角字符，请改用半角字母和数字（{emp_no}）。")
    elif not EMP_NO_PATTERN.match(emp_no):
        report("工号", f"“{raw_no}”只能由 1–32 位半角字母或数字组成。")
    return emp_no


def _read_department_and_team(v: dict[str, str], lookups: _Lookups,
                              report: Report) -> tuple[Department | None, Team | None]:
    department = lookups.find(lookups.departments, v.get("department", ""))
    if department is None:
        report("部门", f"系统中没有部门“{v.get('department', '')}”，请先在组织架构中建立。")
        return None, None
    if not v.get("team"):
        return department, None
    team = lookups.teams.get((department.id, v["team"].upper())) or lookups.teams.get((department.id, v["team"]))
    if team is None:
        report("班组", f"部门“{department.name}”下没有班组“{v['team']}”。")
    return department, team


def _read_position(text: str, lookups: _Lookups, report: Report) -> Position | None:
    if not text:
        return None
    position = lookups.find(lookups.positions, text)
    if position is None:
        report("岗位", f"系统中没有岗位“{text}”。")
    return position


def _read_hire_date(text: str, report: Report) -> date | None:
    if not text:
        return None
    hire_date = _parse_date(text)
    if hire_date is None:
        report("入职日期", f"“{text}”不是有效日期（例：2025-03-01）。")
    elif day_problem(hire_date):
        report("入职日期", day_problem(hire_date))
    return hire_date


def _read_roles(text: str, report: Report) -> set[Role]:
    roles = set()
    for label in _split_roles(text):
        if label not in ROLE_BY_LABEL:
            known = "员工、班组长、部门安全员、安全管理部门、系统管理员"
            report("角色", f"未知角色“{label}”（可用：{known}）。")
        else:
            roles.add(ROLE_BY_LABEL[label])
    return roles


def validate_roster(rows: list[RosterRow]) -> list[EmployeeData]:
    """Validate every row; raise ValidationFailed listing every bad row, or return the data."""
    lookups = _Lookups()
    problems: list[str] = []
    seen: dict[str, int] = {}
    result = []
    for row in rows:
        data = _validate_row(row, lookups, problems)
        for _receiver, found in roster_row_checking.send(row.values, line=row.line):
            problems.extend(found or [])
        if data is None:
            continue
        if data.emp_no in seen:
            problems.append(_problem(row, "工号", f"{data.emp_no} 与第 {seen[data.emp_no]} 行重复。"))
            continue
        seen[data.emp_no] = row.line
        result.append(data)
    if problems:
        raise ValidationFailed(f"花名册有 {len(problems)} 处错误，未导入任何数据。", problems)
    return result


def plan_roster(rows: list[RosterRow]) -> RosterPlan:
    """What importing these rows would do (new / update / unchanged), without writing."""
    data = validate_roster(rows)
    planned = []
    wanted = [d.emp_no for d in data]
    existing = {e.emp_no: e for e in db.session.scalars(select(Employee).where(Employee.emp_no.in_(wanted)))}
    for row, item in zip(rows, data, strict=True):
        employee = existing.get(item.emp_no)
        if employee is None:
            planned.append(PlannedRow(row.line, item.emp_no, item.name, "new", details=_details(item)))
            continue
        changes = _diff(employee, item, "roles" in row.values)
        planned.append(PlannedRow(row.line, item.emp_no, item.name, "update" if changes else "unchanged", changes,
                                  shown_changes=_shown(changes), reopens_training=_reopens(employee, item, changes)))
    _keep_an_administrator(rows, data)
    return RosterPlan(planned, rows)


CHANGE_LABELS = {"name": "姓名", "gender": "性别", "department": "部门", "team": "班组", "position": "岗位",
                 "hire_date": "入职日期", "status": "状态", "roles": "角色"}


def _role_words(text: str) -> str:
    labels = {role.value: str(label) for role, label in ROLE_LABELS.items()}
    return "、".join(labels.get(code, code) for code in text.split(",") if code)


def _details(item: EmployeeData) -> dict[str, str]:
    roles = sorted(item.roles | {Role.EMPLOYEE}, key=lambda role: list(Role).index(role))
    return {"性别": item.gender or "—", "部门": item.department.name, "班组": item.team.name if item.team else "—",
            "岗位": item.position.name if item.position else "—",
            "角色": "、".join(str(ROLE_LABELS[role]) for role in roles)}


def _shown(changes: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    def word(key: str, value: str) -> str:
        if key == "roles":
            return _role_words(value)
        if key == "status" and value in {s.value for s in EmployeeStatus}:
            return str(EmployeeStatus(value).label)
        return value
    return [(CHANGE_LABELS.get(key, key), word(key, old) or "—", word(key, new) or "—")
            for key, (old, new) in changes.items()]


def _reopens(employee: Employee, item: EmployeeData, changes: dict[str, list[str]]) -> bool:
    """A new team or position re-opens department- and team-level training for someone in post."""
    return item.status == EmployeeStatus.IN_POST and employee.status == EmployeeStatus.IN_POST and bool(
        {"team", "position"} & set(changes))


def _keep_an_administrator(rows: list[RosterRow], data: list[EmployeeData]) -> None:
    """Refuse a roster that would leave no administrator in post (离职, or the role taken away)."""
    admins = set(db.session.scalars(select(Employee.emp_no).join(EmployeeRole).where(
        EmployeeRole.role == Role.ADMIN, Employee.status == EmployeeStatus.IN_POST)))
    losing, staying = {}, set(admins)
    for row, item in zip(rows, data, strict=True):
        roles_given = "roles" in row.values
        is_admin = Role.ADMIN in item.roles if roles_given else item.emp_no in admins
        if item.status == EmployeeStatus.IN_POST and is_admin:
            staying.add(item.emp_no)
            continue
        staying.discard(item.emp_no)
        if item.emp_no in admins:
            losing[item.emp_no] = row.line
    if losing and not staying:
        problems = [f"第 {line} 行「状态/角色」：{emp_no} 是系统中最后一位在岗的系统管理员，不能停用或取消其管理员角色"
                    "（请先任命另一位管理员）。" for emp_no, line in losing.items()]
        raise ValidationFailed(f"花名册有 {len(problems)} 处错误，未导入任何数据。", problems)


def _diff(employee: Employee, item: EmployeeData, has_roles: bool) -> dict[str, list[str]]:
    current = describe(employee)
    wanted = {
        "name": item.name, "department": item.department.name,
        "team": item.team.name if item.team else "", "position": item.position.name if item.position else "",
        "hire_date": item.hire_date.isoformat() if item.hire_date else "", "status": str(item.status),
        "roles": ",".join(sorted(r.value for r in (item.roles | {Role.EMPLOYEE}))) if has_roles else current["roles"],
    }
    if item.gender:  # a blank or missing 性别 keeps what is recorded
        wanted["gender"] = item.gender
    return {key: [current[key], wanted[key]] for key in wanted if current[key] != wanted[key]}


def prepare_passwords(rows: list[RosterRow]) -> dict[str, tuple[str, str]]:
    """A one-time (password, hash) for each row the plan would create: the slow part, done as a reader."""
    return {planned.emp_no: new_initial_password() for planned in plan_roster(rows).rows if planned.action == "new"}


def apply_roster(rows: list[RosterRow], *, actor: Employee, now: datetime,
                 passwords: dict[str, tuple[str, str]] | None = None) -> ImportResult:
    """Create and update employees exactly as planned now; one transaction (the caller commits).

    ``passwords`` (from ``prepare_passwords``) saves hashing while the transaction is open.
    """
    plan = plan_roster(rows)
    data = {d.emp_no: d for d in validate_roster(rows)}
    made = []
    for row, planned in zip(rows, plan.rows, strict=True):
        item = data[planned.emp_no]
        if planned.action == "new":
            employee, password = create_employee(item, actor=actor, now=now,
                                                 initial=(passwords or {}).get(planned.emp_no))
            made.append((employee.emp_no, employee.name, password))
        elif planned.action == "update":
            employee = db.session.scalar(select(Employee).where(Employee.emp_no == planned.emp_no))
            if "roles" not in row.values:
                item.roles = frozenset(employee.roles)
            if not item.gender:
                item.gender = None
            update_employee(employee, item, actor=actor, now=now)
        else:
            employee = db.session.scalar(select(Employee).where(Employee.emp_no == planned.emp_no))
        roster_row_imported.send(employee, values=row.values, line=row.line, now=now)
    result = ImportResult(plan.count("new"), plan.count("update"), plan.count("unchanged"), made)
    audit_action("roster.import", actor=actor, now=now,
                 detail={"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
    return result


def register_roster_columns(columns: dict[str, str]) -> None:
    """Let another package read extra roster columns (header → field name)."""
    EXTRA_COLUMNS.update(columns)


# Pending imports and one-time password lists live in the instance folder (mode 600),
# never in the signed (but readable) session cookie, and expire after PENDING_HOURS.
PENDING_KINDS = ("roster", "passwords")
PENDING_HOURS = 24

def _pending_dir(instance_path: str, kind: str) -> Path:
    path = Path(instance_path) / "pending" / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def prune_pending(instance_path: str, *, hours: float = PENDING_HOURS) -> int:
    """Delete previews and one-time password lists stored more than ``hours`` ago; returns how many."""
    cutoff = wall_now().timestamp() - hours * 3600
    removed = 0
    for kind in PENDING_KINDS:
        for path in _pending_dir(instance_path, kind).iterdir():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue  # taken meanwhile
    return removed


def stash(instance_path: str, kind: str, owner_id: int, payload: object) -> str:
    """Store ``payload`` for one user under a random token (pruning expired ones); returns the token."""
    prune_pending(instance_path)
    token = secrets.token_urlsafe(18)
    target = _pending_dir(instance_path, kind) / f"{token}.json"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"owner": owner_id, "payload": payload}, handle, ensure_ascii=False)
    return token


def _stash_path(instance_path: str, kind: str, token: str) -> Path | None:
    if not token or len(token) > 64 or not token.replace("-", "").replace("_", "").isalnum():
        return None
    return _pending_dir(instance_path, kind) / f"{token}.json"


def _expired(path: Path) -> bool:
    try:
        return path.stat().st_mtime < wall_now().timestamp() - PENDING_HOURS * 3600
    except FileNotFoundError:
        return True


def stash_owner(instance_path: str, kind: str, token: str) -> int | None:
    """Who stored this token (None: no such stash, or it is gone)."""
    target = _stash_path(instance_path, kind, token)
    if target is None or _expired(target):
        return None
    try:
        return json.loads(target.read_text(encoding="utf-8"))["owner"]
    except FileNotFoundError:
        return None


def unstash(instance_path: str, kind: str, owner_id: int, token: str, *, consume: bool) -> object | None:
    """Read (and with ``consume`` take away) a stashed payload if ``owner_id`` stored it.

    Taking is atomic (a rename only one request can win): of concurrent requests for the
    same token exactly one gets the payload, the others None.
    """
    target = _stash_path(instance_path, kind, token)
    try:
        stored = json.loads(target.read_text(encoding="utf-8")) if target else None
    except FileNotFoundError:
        return None
    if stored is None or stored["owner"] != owner_id or _expired(target):
        return None
    if consume:
        taken = target.with_name(f"{token}.{secrets.token_hex(8)}.taken")
        try:
            os.rename(target, taken)
        except FileNotFoundError:
            return None  # another request took it first
        taken.unlink()
    return stored["payload"]


def rows_to_json(rows: list[RosterRow]) -> list[dict]:
    return [asdict(row) for row in rows]


def rows_from_json(items: list[dict]) -> list[RosterRow]:
    return [RosterRow(item["line"], item["values"]) for item in items]
