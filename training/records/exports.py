"""Rows for the xlsx/CSV exports of records (cells are neutralised by core.exports)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import format_datetime

from core.exports import CSV_MIMETYPE, XLSX_MIMETYPE, csv_bytes, xlsx_bytes
from training.induction.services.annual_hours import AnnualHours
from training.quiz.services.results import exam_title
from training.records.services import EmployeeRecord, GroupStats, ItemStat

Table = tuple[list[str], list[Sequence[Any]]]


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:g}%"


def _local(moment: datetime | None) -> str:
    return format_datetime(moment, "yyyy-MM-dd HH:mm") if moment else ""


def _annual_cells(annual: AnnualHours | None) -> list[str]:
    if annual is None:
        return ["", ""]
    return [f"{annual.credited:g}/{annual.required:g}", annual.status_label]


def group_table(stats: GroupStats) -> Table:
    headers = ["工号", "姓名", "部门", "班组", "岗位", "上岗状态", "当前培训", "任务数", "已完成", "逾期",
               "考试次数", "通过", "平均分", "年度再培训学时（已完成/应完成）", "年度再培训"]
    rows = []
    for p in stats.people:
        e, current = p.employee, (p.clearance.progress.current if p.clearance.progress else None)
        avg = round(sum(p.scores) / len(p.scores), 1) if p.scores else ""
        rows.append([e.emp_no, e.name, e.department.name, e.team.name if e.team else "",
                     e.position.name if e.position else "", p.clearance.label,
                     current.level.level_label if current else "", p.tasks_total, p.tasks_done, p.overdue,
                     p.sat, p.passed, avg, *_annual_cells(p.annual)])
    return headers, rows


def record_table(record: EmployeeRecord) -> Table:
    headers = ["类别", "项目", "学时/分数", "日期", "签字/状态", "备注"]
    annual = record.annual
    rows: list[Sequence[Any]] = [["年度再培训", f"{annual.year} 年度", f"{annual.credited:g}/{annual.required:g} 学时",
                                  "", annual.status_label,
                                  f"自学 {annual.study:g} 学时；授课 {annual.classroom:g} 学时"]]
    rows.insert(0, ["上岗状态", record.clearance.label, "", "", "",
                    "；".join(h.detail for h in record.clearance.holds if h.detail)])
    for progress in record.inductions:
        for lp in progress.levels:
            exam = lp.exam
            rows.append(["三级教育", f"{progress.induction.reason_label} · {lp.level.level_label}",
                         f"{lp.hours:g}/{lp.level.required_hours:g} 学时",
                         _local(lp.completed_at), lp.level.signed_off_by.name if lp.level.signed_off_by else "",
                         f"考试 {exam.score:g} 分" if exam and exam.score is not None else "；".join(lp.missing)])
    for s in record.study:
        rows.append(["自学", s.document.title, f"{s.credited_minutes:g} 分钟", _local(s.started_at),
                     "已确认" if s.acknowledged_at else "未确认", ""])
    for c in record.classroom:
        rows.append(["授课", c.topic, f"{c.hours:g} 学时", c.held_on.isoformat(), c.level_label,
                     c.trainer.name if c.trainer else ""])
    for a in record.attempts:
        rows.append(["考试", exam_title(a.exam_id), f"{a.score:g}/{a.total_points:g}", _local(a.submitted_at),
                     "通过" if a.passed else "未通过", ""])
    for tp in record.tasks:
        rows.append(["任务", tp.task.assignment.title, f"资料 {tp.documents_done}/{tp.documents_total}",
                     tp.task.assignment.due_on.isoformat(), tp.status_label, tp.task.assignment.kind_label])
    return headers, rows


def items_table(items: list[ItemStat]) -> Table:
    headers = ["题目编号", "题干", "作答次数", "答错次数", "错误率", "出处文档", "出处条款"]
    return headers, [[s.question_id, s.stem, s.served, s.wrong, _pct(s.wrong_rate), s.source_title,
                      s.source_section] for s in items]


def render(table: Table, fmt: str, title: str) -> tuple[bytes, str]:
    """(body, mimetype) for ``fmt`` "xlsx" or "csv"."""
    headers, rows = table
    if fmt == "xlsx":
        return xlsx_bytes(headers, rows, sheet_title=title[:31], title=title), XLSX_MIMETYPE
    return csv_bytes(headers, rows), CSV_MIMETYPE
