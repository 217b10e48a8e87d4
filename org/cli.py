"""CLI: ``flask users create-admin`` and ``flask demo load``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from core.clock import now
from core.exceptions import DomainError
from core.extensions import db
from org.demo_org import DemoLogin, demo_logins, load_demo_org
from org.models import Department, Role
from org.roster_import import prune_pending
from org.services import (
    EmployeeData,
    check_password_strength,
    create_employee,
    find_employee,
    hash_password,
    normalize_emp_no,
)

users_cli = AppGroup("users", help="账号管理。")
demo_cli = AppGroup("demo", help="演示数据。")


@users_cli.command("prune-pending")
@click.option("--hours", default=24.0, show_default=True, help="删除多少小时以前的")
def prune_pending_files(hours: float) -> None:
    """Delete roster previews never confirmed and one-time password lists never downloaded."""
    removed = prune_pending(current_app.instance_path, hours=hours)
    click.echo(f"已删除 {removed} 个过期的花名册预览或初始密码文件。")


@users_cli.command("create-admin")
@click.option("--emp-no", prompt="工号")
@click.option("--name", prompt="姓名")
@click.option("--department", "department_code", prompt="部门代码（不存在则新建）")
@click.password_option("--password", prompt="密码")
def create_admin(emp_no: str, name: str, department_code: str, password: str) -> None:
    """Create the first system administrator (there is no default admin password)."""
    emp_no = normalize_emp_no(emp_no)
    try:
        check_password_strength(password, emp_no, name)
        if find_employee(emp_no):
            raise DomainError(f"工号 {emp_no} 已存在。")
        department = db.session.scalar(select(Department).where(Department.code == department_code.upper()))
        if department is None:
            department = Department(code=department_code.upper(), name=department_code.upper())
            db.session.add(department)
        employee, _ = create_employee(EmployeeData(emp_no, name, department, None, None, None,
                                                   roles=frozenset({Role.ADMIN})), actor=None, now=now())
    except DomainError as error:
        raise click.ClickException(error.message) from error
    employee.password_hash = hash_password(password)
    employee.must_change_password = False
    db.session.commit()
    click.echo(f"已创建系统管理员 {employee.emp_no} {employee.name}。")


@demo_cli.command("load")
def load() -> None:
    """Load the demo organisation and demo accounts (idempotent; demo mode only)."""
    created, logins = load_demo_org(_demo_file(), now())
    db.session.commit()
    click.echo(f"演示组织：新建 {created} 条记录（已有的保持不变）。")
    _print_logins(logins)


@demo_cli.command("logins")
def logins() -> None:
    """Print the demo logins (writes nothing; run `demo load` first)."""
    _print_logins(demo_logins(_demo_file()))


def _demo_file() -> Path:
    return Path(current_app.config["CONTENT_DIR"]) / "demo" / "org.yaml"


def _print_logins(logins: list[DemoLogin]) -> None:
    click.echo("演示模式账号（仅用于演示，请勿在生产环境使用）：")
    for login in logins:
        note = "（首次登录须修改密码）" if login.must_change else ""
        click.echo(f"  {login.label:<8} 工号 {login.emp_no}  密码 {login.password}  {login.name}{note}")
