"""Failed logins are counted where every worker and every restart sees them (the database)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.extensions import db
from org.models import LoginFailure
from tests.conftest import NOW, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "登录失败次数过多，已暂时锁定。请 15 分钟后再试"

# One "worker": its own process and its own app on the shared database, as gunicorn forks them.
WORKER = """
import json, sys
from core.app import create_app
url, instance, emp_no, password, count = sys.argv[1:6]
app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "t", "INSTANCE_PATH": instance,
                  "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "WTF_CSRF_ENABLED": False,
                  "SEARCH_INDEX_DIR": instance + "/search"})
client = app.test_client()
answers = []
for _ in range(int(count)):
    response = client.post("/auth/login", data={"emp_no": emp_no, "password": password})
    answers.append([response.status_code, "已暂时锁定" in response.get_data(as_text=True)])
print(json.dumps(answers))
"""


def _worker(database_url: str, tmp_path: Path, emp_no: str, password: str, count: int) -> list[list]:
    done = subprocess.run([sys.executable, "-c", WORKER, database_url, str(tmp_path / "worker"), emp_no,
                           password, str(count)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_two_workers_share_the_count_and_a_restart_keeps_it(database_url, tmp_path, make_employee):
    emp_no = make_employee().emp_no
    db.session.commit()  # this test's own session holds no lock while the workers run
    first = _worker(database_url, tmp_path, emp_no, "wrong-one", 6)
    second = _worker(database_url, tmp_path, emp_no, "wrong-two", 5)
    assert first == [[200, False]] * 6
    assert second == [[200, False]] * 4 + [[429, True]]  # 10 failures across both, then locked
    restarted = _worker(database_url, tmp_path, emp_no, PASSWORD, 1)
    assert restarted == [[429, True]]  # even the right password waits; a restart resets nothing


def test_an_unknown_emp_no_is_locked_out_the_same_way(client, make_employee):
    known = make_employee()
    answers = {}
    for emp_no in (known.emp_no, "NOSUCH404"):
        for _ in range(10):
            client.post("/auth/login", data={"emp_no": emp_no, "password": "wrong"})
        response = client.post("/auth/login", data={"emp_no": emp_no, "password": "wrong"})
        answers[emp_no] = (response.status_code, LOCKED in response.get_data(as_text=True))
    assert answers[known.emp_no] == answers["NOSUCH404"] == (429, True)


def test_thirty_failures_from_one_address_lock_that_address(client, make_employee):
    employee = make_employee()
    address = {"REMOTE_ADDR": "10.1.2.3"}
    for n in range(30):
        response = client.post("/auth/login", data={"emp_no": f"GUESS{n}", "password": "x"},
                               environ_base=address)
        assert response.status_code == 200
    locked = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD},
                         environ_base=address)
    assert locked.status_code == 429 and LOCKED in locked.get_data(as_text=True)
    elsewhere = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD},
                            environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert elsewhere.status_code == 302


@pytest.mark.config(FROZEN_NOW=NOW)
def test_the_lock_ends_after_the_window_and_old_failures_are_pruned(app, client, make_employee):
    employee = make_employee()
    for _ in range(10):
        client.post("/auth/login", data={"emp_no": employee.emp_no, "password": "wrong"})
    assert client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD}).status_code == 429
    app.config["FROZEN_NOW"] = NOW + timedelta(minutes=16)
    client.post("/auth/login", data={"emp_no": "SOMEONE", "password": "wrong"})
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 1
    assert client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD}).status_code == 302


def _redis_url() -> str:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server answers on 127.0.0.1:6379")
    return url


def test_a_configured_redis_is_shared_by_two_app_instances(app, make_employee):
    from core.app import create_app

    url = _redis_url()
    emp_no = make_employee(emp_no=f"R{uuid.uuid4().hex[:12]}").emp_no
    db.session.commit()
    address = {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.7.{uuid.uuid4().int % 250}"}
    apps = [create_app(app.config | {"LOGIN_THROTTLE_STORAGE_URI": url}) for _ in range(2)]
    workers = [worker.test_client() for worker in apps]
    for n in range(10):
        response = workers[n % 2].post("/auth/login", data={"emp_no": emp_no, "password": "wrong"},
                                       environ_base=address)
        assert response.status_code == 200
    locked = workers[0].post("/auth/login", data={"emp_no": emp_no, "password": PASSWORD},
                             environ_base=address)
    assert locked.status_code == 429 and LOCKED in locked.get_data(as_text=True)
    for worker in apps:  # close their database connections before this test's app goes on
        with worker.app_context():
            db.engine.dispose()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0  # counted in Redis
