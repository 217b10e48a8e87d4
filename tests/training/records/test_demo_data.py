"""The demo tells the truth on its first page: the new hire studies his team's hazard list inside his induction,
so his first day shows no overdue team task, while the people already in post have theirs."""

from sqlalchemy import select

from core.clock import today
from core.extensions import db
from org.models import Employee
from training.assignments.models import Assignment, Task


def test_the_demo_new_hire_has_no_overdue_task_on_his_first_day(runner):
    for args in (["demo", "load"], ["content", "import"], ["demo", "training"]):
        result = runner.invoke(args=args, env={"ANZHI_DEMO_MODE": "true"})
        assert result.exit_code == 0, result.output

    new_hire = db.session.scalar(select(Employee).where(Employee.emp_no == "10204"))
    tasks = db.session.scalars(select(Task).join(Assignment)).all()
    assert [t.assignment.title for t in tasks if t.employee_id == new_hire.id and t.assignment.due_on < today()] == []
    team_task = [t for t in tasks if t.assignment.title == "冲压一班危险源清单学习"]
    assert len(team_task) >= 3 and new_hire.id not in {t.employee_id for t in team_task}
