"""Exam submission benchmark: N examinees log in, start, autosave every answer and submit, at once.

Runs gunicorn (several workers) on a fresh SQLite file, or on PostgreSQL when DATABASE_URL points
at one, and prints submissions/s, p50/p95 latency, and the number of submissions lost or doubled
and autosaved answers lost (all must be 0).

With --kill-worker one gunicorn worker is killed (kill -9) just after the submits fire, and the
examinees retry as the exam page does (a dropped connection or a 5xx/429 answer is sent again,
waiting 0.5, 1, 2, 4, 8, 8 … s): lost, doubled and left open must still be 0.

    .venv/bin/python bench/submit.py [--examinees 200] [--workers 4] [--port 5113] [--kill-worker]
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "Bench-pass-2026"
HASH = "pbkdf2:sha256:1000"


def prepare(database_url: str, instance: str, examinees: int) -> int:
    """Create the schema, one department, ``examinees`` accounts, 10 questions and an open exam."""
    from core.app import create_app
    from core.extensions import db
    from org.models import Department, Employee
    from org.services import hash_password
    from training.quiz.models import Exam, ExamItem, Question

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "INSTANCE_PATH": instance,
                      "PASSWORD_HASH_METHOD": HASH})
    with app.app_context():
        if database_url.startswith("postgresql"):
            db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()  # the schema as the models define it (quicker than replaying migrations)
        department = Department(code="BENCH", name="压测部门")
        db.session.add(department)
        password = hash_password(PASSWORD)
        for n in range(examinees):
            db.session.add(Employee(emp_no=f"B{n:05d}", name=f"考生{n}", department=department,
                                    password_hash=password, must_change_password=False))
        questions = []
        for n in range(10):
            kind = "single" if n < 6 else "multiple" if n < 8 else "truefalse"
            options = [] if kind == "truefalse" else ["甲", "乙", "丙", "丁"]
            answer = {"single": [1], "multiple": [0, 2], "truefalse": [0]}[kind]
            questions.append(Question(key=f"bench-{n}", type=kind, level="company", topic="压测", stem=f"第{n}题",
                                      options=options, answer=answer, explanation="—"))
        now = datetime.now(UTC)
        exam = Exam(title="压测考试", published=True, duration_minutes=30, pass_percent=60,
                    opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=2))
        exam.items = [ExamItem(question=q, position=i) for i, q in enumerate(questions)]
        db.session.add(exam)
        db.session.commit()
        exam_id = exam.id
        db.engine.dispose()
    return exam_id


def start_server(database_url: str, instance: str, port: int, workers: int, threads: int = 2) -> subprocess.Popen:
    env = os.environ | {"DATABASE_URL": database_url, "SECRET_KEY": "bench", "ANZHI_INSTANCE_PATH": instance,
                        "ANZHI_PASSWORD_HASH_METHOD": HASH, "ANZHI_LOGIN_LIMIT_PER_IP": "100000 per minute",
                        "ANZHI_LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute"}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    log = open(Path(instance).parent / "gunicorn.log", "wb")  # noqa: SIM115  (closed once the child has it)
    process = subprocess.Popen(
        [gunicorn, "--preload", "--workers", str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    log.close()
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start: " + (Path(instance).parent / "gunicorn.log").read_text()[-2000:])


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)  # gunicorn: quick shutdown
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Examinee:
    """One simulated examinee with their own cookie jar."""

    base: str
    emp_no: str
    attempt_id: int | None = None
    chosen: dict[str, list[str]] = field(default_factory=dict)
    submit_latencies: list[float] = field(default_factory=list)
    submit_ok: int = 0
    retries: int = 0
    retry: bool = False  # retry a failed submit as the exam page does
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())

    def request(self, path: str, data: dict | None = None, json_body: dict | None = None,
                headers: dict | None = None) -> tuple[int, dict, str]:
        body, all_headers = None, dict(headers or {})
        if json_body is not None:
            body, all_headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        req = urllib.request.Request(self.base + path, data=body, headers=all_headers)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def log_in(self) -> None:
        _status, _h, html = self.request("/auth/login")
        status, _h, _body = self.request("/auth/login", {"csrf_token": self.csrf(html), "emp_no": self.emp_no,
                                                         "password": PASSWORD})
        assert status == 302, f"login {self.emp_no}: {status}"

    def start(self, exam_id: int) -> str:
        _s, _h, html = self.request(f"/quiz/exams/{exam_id}")
        status, headers, _b = self.request(f"/quiz/exams/{exam_id}/start", {"csrf_token": self.csrf(html)})
        assert status == 302, f"start {self.emp_no}: {status}"
        self.attempt_id = int(headers["Location"].rstrip("/").split("/")[-1])
        _s, _h, page = self.request(f"/quiz/attempts/{self.attempt_id}")
        return page

    def autosave_all(self, page: str, limit: int = 10) -> tuple[str, int, list[float]]:
        token = self.csrf(page)
        revision = int(re.search(r'id="quiz-revision"[^>]*value="(\d+)"', page).group(1))
        latencies = []
        for iid in list(dict.fromkeys(re.findall(r'name="a-([0-9a-f]+)"', page)))[:limit]:
            values = re.findall(rf'name="a-{iid}" value="([0-9a-f]+)"', page)
            choice = values[:2] if 'type="checkbox" name="a-' + iid in page else values[:1]
            began = time.perf_counter()
            status, _h, body = self.request(f"/quiz/attempts/{self.attempt_id}/save",
                                            json_body={"item": iid, "choice": choice, "revision": revision},
                                            headers={"X-CSRFToken": token, "Accept": "application/json"})
            latencies.append(time.perf_counter() - began)
            if status != 200:
                self.errors.append(f"autosave {status}")
                continue
            revision = json.loads(body)["revision"]
            self.chosen[iid] = choice
        return token, revision, latencies

    def submit(self, token: str, revision: int) -> None:
        began = time.perf_counter()
        for attempt in range(40 if self.retry else 1):
            try:
                status, _h, _b = self.request(f"/quiz/attempts/{self.attempt_id}/submit",
                                              {"csrf_token": token, "revision": str(revision)})
            except (OSError, http.client.HTTPException) as error:  # the worker died under the request
                status, reason = None, type(error).__name__
            else:
                reason = f"submit {status}"
            if status == 303:
                self.submit_ok += 1
                break
            if not self.retry or (status is not None and status < 500 and status != 429):
                self.errors.append(reason)
                break
            self.retries += 1
            time.sleep(min(0.5 * 2 ** attempt, 8))
        else:
            self.errors.append("submit gave up")
        self.submit_latencies.append(time.perf_counter() - began)


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the master's child processes."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def run_examinees(base: str, exam_id: int, emp_nos: list[str], submits_each: int = 1, autosaves: int = 10,
                  kill_after: float | None = None, master: int | None = None):
    """Every examinee logs in, starts, autosaves, then all submit at the same moment (barrier).

    With ``kill_after`` one worker of gunicorn ``master`` is killed that many seconds after the
    submits fire, and the examinees retry as the page does.
    """
    people = [Examinee(base, emp_no, retry=kill_after is not None) for emp_no in emp_nos]
    barrier = threading.Barrier(len(people) * submits_each + (kill_after is not None))
    killed: list[int] = []

    def kill() -> None:
        barrier.wait(timeout=120)
        time.sleep(kill_after)
        victim = worker_pids(master)[0]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)
    autosave_latencies: list[float] = []
    lock = threading.Lock()

    def one(person: Examinee) -> None:
        try:
            person.log_in()
            token, revision, latencies = person.autosave_all(person.start(exam_id), autosaves)
            with lock:
                autosave_latencies.extend(latencies)
        except Exception as error:  # recorded as a lost submission
            person.errors.append(repr(error))
            token = revision = None
        threads = [threading.Thread(target=_submit, args=(person, token, revision)) for _ in range(submits_each)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _submit(person: Examinee, token, revision) -> None:
        try:
            barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass
        if token is not None:
            person.submit(token, revision)

    began = time.perf_counter()
    workers = [threading.Thread(target=one, args=(p,)) for p in people]
    if kill_after is not None:
        workers.append(threading.Thread(target=kill))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return people, autosave_latencies, time.perf_counter() - began, killed


def verify(database_url: str, instance: str, people: list[Examinee], exam_id: int) -> dict[str, int]:
    """Count examinees with no submitted attempt (lost), more than one (doubled), and lost answers."""
    from core.app import create_app
    from core.extensions import db
    from org.models import Employee
    from training.quiz.models import Attempt

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "INSTANCE_PATH": instance})
    counts = {"lost": 0, "doubled": 0, "answers_lost": 0, "open": 0}
    with app.app_context():
        for person in people:
            employee = db.session.scalar(db.select(Employee).where(Employee.emp_no == person.emp_no))
            attempts = db.session.scalars(db.select(Attempt).where(Attempt.employee_id == employee.id,
                                                                   Attempt.exam_id == exam_id)).all()
            submitted = [a for a in attempts if a.submitted_at is not None]
            counts["lost"] += not submitted
            counts["doubled"] += len(attempts) > 1
            counts["open"] += len(attempts) - len(submitted)
            for attempt in submitted:
                counts["answers_lost"] += sum(attempt.answers.get(i) != c for i, c in person.chosen.items())
        db.engine.dispose()
    return counts


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examinees", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=5113)
    parser.add_argument("--kill-worker", action="store_true", help="kill -9 one worker as the submits fire")
    parser.add_argument("--kill-after", type=float, default=0.05, help="seconds after the submits fire")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        instance = str(Path(tmp) / "instance")
        exam_id = prepare(url, instance, args.examinees)
        server = start_server(url, instance, args.port, args.workers)
        try:
            people, autosaves, elapsed, killed = run_examinees(
                f"http://127.0.0.1:{args.port}", exam_id, [f"B{n:05d}" for n in range(args.examinees)],
                kill_after=args.kill_after if args.kill_worker else None, master=server.pid)
        finally:
            stop_server(server)
        log = (Path(tmp) / "gunicorn.log").read_text(errors="replace")
        counts = verify(url, instance, people, exam_id)
    submits = [t for p in people for t in p.submit_latencies]
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite (WAL)"
    print(f"引擎 {engine}；gunicorn {args.workers} workers × 2 threads；考生 {args.examinees}；每人 10 题")
    print(f"总耗时 {elapsed:.1f} s（登录、开始、{len(autosaves)} 次自动保存、交卷）")
    print(f"交卷：{len(submits) / max(max(submits, default=0), 1e-9):.1f} 份/s（同时发起），"
          f"p50 {percentile(submits, 50) * 1000:.0f} ms，p95 {percentile(submits, 95) * 1000:.0f} ms")
    print(f"自动保存：p50 {percentile(autosaves, 50) * 1000:.0f} ms，p95 {percentile(autosaves, 95) * 1000:.0f} ms")
    errors = [e for p in people for e in p.errors]
    if args.kill_worker:
        print(f"交卷发出 {args.kill_after:g} s 后 kill -9 worker {killed}；"
              f"考生按页面的方式重试交卷 {sum(p.retries for p in people)} 次")
    print(f"丢失 {counts['lost']}，重复 {counts['doubled']}，未结答卷 {counts['open']}，"
          f"丢失的已保存答案 {counts['answers_lost']}，请求错误 {len(errors)}")
    if errors:
        print("错误示例：", errors[:5])
        print(log[-3000:])
    bad = counts["lost"] or counts["doubled"] or counts["answers_lost"] or errors or elapsed > 60
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
