"""The department dashboard at scale: time and query count at 100, 1,000 and 5,000 people.

Usage: .venv/bin/python bench/dashboards.py [--sizes 100 1000 5000] [--database-url URL] [--repeat 3]
Builds a fresh database (SQLite in a temporary folder unless --database-url names an empty
one), adds the people with bulk inserts (each with a three-level induction, an exam result,
a task, study time; every tenth with a paper record only), and asks for the department
dashboard as its safety officer. Prints people, queries and the best of --repeat timings.
A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bench._people import add_people, shared  # noqa: E402
from core.app import create_app  # noqa: E402
from core.extensions import db  # noqa: E402

PASSWORD = "Bench-passw0rd"
AT = datetime.now(UTC)


def _plant():
    """A department, a team, a position, a published document and the department's safety officer."""
    from kb.models import Document, DocumentKind, Revision, RevisionStatus
    from org.models import Department, Employee, Position, Role, Team
    from org.services import hash_password

    department = Department(code="CY", name="冲压车间")
    team = Team(code="CY1", name="冲压一班", department=department)
    position = Position(code="press", name="冲压工")
    officer = Employee(emp_no="A00001", name="王安全", department=department, password_hash=hash_password(PASSWORD),
                       must_change_password=False)
    officer.set_roles({Role.SAFETY_OFFICER})
    document = Document(kind=DocumentKind.REGULATION, slug="law", title="安全生产法", owner_department=department)
    revision = Revision(number=1, title=document.title, body_md="正文", body_html="<p>正文</p>", fields={},
                        document=document, status=RevisionStatus.PUBLISHED, published_at=AT)
    db.session.add_all([department, team, position, officer, document, revision])
    db.session.flush()
    document.published_revision = revision
    db.session.commit()
    return department, team, position, officer, document


def _measure(client, url: str, repeat: int) -> tuple[int, float]:
    seen: list[str] = []

    def count(*_args) -> None:
        seen.append("q")

    client.get(url)  # warm
    best = float("inf")
    for _ in range(repeat):
        seen.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200, response.status_code
        best = min(best, elapsed)
    return len(seen), best


def run(sizes: list[int], database_url: str | None, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="anzhi-dash-") as folder:
        url = database_url or f"sqlite:///{folder}/bench.db"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": folder,
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False,
                          "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False})
        with app.app_context():
            upgrade()
            department, team, position, officer, document = _plant()
            fixtures = shared(team, document.id, AT, position.id)
            client = app.test_client()
            client.post("/auth/login", data={"emp_no": officer.emp_no, "password": PASSWORD})
            page = f"/training/records/departments/{department.id}"
            have = 0
            print(f"{'people':>7} {'queries':>8} {'seconds':>8}")
            for size in sizes:
                add_people(fixtures, size - have, start=have, at=AT)
                db.session.commit()
                have = size
                queries, seconds = _measure(client, page, repeat)
                print(f"{size:>7} {queries:>8} {seconds:>8.2f}", flush=True)
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--database-url", help="an empty database to build in (default: SQLite in a temp folder)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run(sorted(args.sizes), args.database_url, args.repeat)


if __name__ == "__main__":
    main()
