"""What examinees and managers see: no answer in the page, autosave over HTTP, PRG submit, scope 404s."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from core.extensions import db
from org.models import Role
from training.quiz.models import Attempt
from training.quiz.services.attempts import save_answer, start_attempt, submit_attempt
from training.quiz.services.bank import data_of, save_question

CORRECT = "安全第一、预防为主、综合治理"
WRONGS = ["预防为主、防消结合", "生产第一", "效益优先"]


@pytest.fixture
def exam(make_question, make_exam, make_document):
    doc = make_document("regulation", slug="work-safety-law", title="中华人民共和国安全生产法")
    single = make_question(stem="安全生产工作的方针是？", options=[WRONGS[0], CORRECT, *WRONGS[1:]], answer=[1],
                           explanation="依据第三条。", source=doc, source_section="第三条")
    multi = make_question("multiple", stem="下列哪些属于劳动防护用品？",
                          options=["安全帽", "安全带", "拖鞋", "绝缘手套"], answer=[0, 1, 3])
    tf = make_question("truefalse", stem="未经培训合格可以上岗。", answer=[1])
    now = datetime.now(UTC)
    return make_exam([single, multi, tf], opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
                     pass_percent=70)


def _start(client, exam):
    response = client.post(f"/quiz/exams/{exam.id}/start")
    assert response.status_code == 302
    return db.session.get(Attempt, int(response.headers["Location"].rstrip("/").split("/")[-1]))


def test_attempt_page_contains_no_answer(client, login, make_employee, exam):
    login(make_employee())
    attempt = _start(client, exam)
    html = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert CORRECT in html and "安全第一" in html
    for word in ("correct", "answer", "explanation", "依据第三条", "is-right", "opt-correct", "正确答案"):
        assert word not in html.lower(), word
    # Option values are per-attempt opaque ids, not positions in the original question.
    values = re.findall(r'name="a-[0-9a-f]+" value="([^"]+)"', html)
    assert len(values) == 4 + 4 + 2 and all(re.fullmatch(r"[0-9a-f]{10}", v) for v in values)
    # The label carrying the correct text is marked like every other option.
    label = re.search(r'<label class="([^"]*)">\s*<input[^>]*>\s*<span class="quiz-letter">.</span><span>'
                      + re.escape(CORRECT), html)
    assert label and label.group(1) == "quiz-option"


def test_autosave_submit_and_review_over_http(client, login, make_employee, exam):
    login(make_employee())
    attempt = _start(client, exam)
    item = next(i for i in attempt.items if i["type"] == "single")
    right = [o["oid"] for o in item["options"] if o["correct"]]
    ok = client.post(f"/quiz/attempts/{attempt.id}/save", json={"item": item["iid"], "choice": right, "revision": 0})
    assert ok.status_code == 200 and ok.json == {"revision": 1, "ignored": False}
    assert "score" not in ok.get_data(as_text=True) and "correct" not in ok.get_data(as_text=True)
    stale = client.post(f"/quiz/attempts/{attempt.id}/save", json={"item": item["iid"], "choice": [], "revision": 0})
    assert stale.status_code == 409 and stale.json["revision"] == 1
    # Reloading keeps the saved answer checked.
    html = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    assert re.search(rf'value="{right[0]}" checked', html)
    first = client.post(f"/quiz/attempts/{attempt.id}/submit", data={"revision": "1"})
    second = client.post(f"/quiz/attempts/{attempt.id}/submit", data={"revision": "1"})
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    db.session.expire_all()
    assert db.session.scalars(db.select(Attempt)).all() == [attempt] and attempt.score == 2.0
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "得分" in page and "不合格" in page and "依据第三条" in page
    # After submit the attempt page does not reopen: it redirects to the result.
    assert client.get(f"/quiz/attempts/{attempt.id}").status_code == 302
    closed = client.post(f"/quiz/attempts/{attempt.id}/save", json={"item": item["iid"], "choice": [], "revision": 1})
    assert closed.status_code == 410


def test_review_policy_nothing_hides_score(client, login, make_employee, make_question, make_exam):
    exam = make_exam([make_question()], review_policy="nothing", opens_at=None, closes_at=None)
    login(make_employee())
    attempt = _start(client, exam)
    page = client.get(client.post(f"/quiz/attempts/{attempt.id}/submit").headers["Location"]).get_data(as_text=True)
    assert "不公布成绩" in page and "得分" not in page and "合格" not in page


def test_editing_a_question_leaves_the_taken_attempt_review_unchanged(client, login, make_employee, exam):
    employee = make_employee()
    login(employee)
    attempt = _start(client, exam)
    client.post(f"/quiz/attempts/{attempt.id}/submit")
    before = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    question = next(item.question for item in exam.items if item.question.type == "single")
    original = question.stem
    data = data_of(question)
    data.stem, data.options, data.answer = "改过的题干", ["新甲", "新乙"], "A"
    save_question(question, data)
    db.session.commit()
    after = client.get(f"/quiz/attempts/{attempt.id}/result").get_data(as_text=True)
    assert question.version == 2 and "改过的题干" not in after
    assert _review(after) == _review(before) and original in _review(after)


def _review(page: str) -> str:
    """The result card and the reviewed questions (not the menu or flash messages around them)."""
    return page[page.index('<section class="card quiz-result">'):page.index("返回我的考试")]


@pytest.mark.parametrize("role", ["stranger", "colleague", "other_leader", "other_officer"])
def test_other_employees_attempt_and_review_are_404(client, login, make_employee, make_team, exam, role):
    team = make_team()
    owner = make_employee(team=team)
    attempt = start_attempt(owner, exam, datetime.now(UTC))
    db.session.commit()
    viewer = {
        "stranger": lambda: make_employee(),
        "colleague": lambda: make_employee(team=team),
        "other_leader": lambda: make_employee(roles={Role.TEAM_LEADER}, leads=make_team()),
        "other_officer": lambda: make_employee(roles={Role.SAFETY_OFFICER}),
    }[role]()
    login(viewer)
    assert client.get(f"/quiz/attempts/{attempt.id}").status_code == 404
    assert client.post(f"/quiz/attempts/{attempt.id}/save", json={}).status_code == 404
    assert client.post(f"/quiz/attempts/{attempt.id}/submit").status_code == 404
    submit_attempt(attempt, datetime.now(UTC))
    db.session.commit()
    assert client.get(f"/quiz/attempts/{attempt.id}/result").status_code == 404


def test_managers_in_scope_see_their_peoples_results(client, login, make_employee, make_team, exam):
    team = make_team()
    owner = make_employee(team=team)
    attempt = start_attempt(owner, exam, datetime.now(UTC))
    submit_attempt(attempt, datetime.now(UTC))
    db.session.commit()
    login(make_employee(roles={Role.TEAM_LEADER}, leads=team))
    assert client.get(f"/quiz/attempts/{attempt.id}/result").status_code == 200
    assert owner.name in client.get(f"/quiz/exams/{exam.id}/results").get_data(as_text=True)


def test_my_exams_panel_and_mistake_book(client, login, make_employee, exam):
    employee = make_employee()
    login(employee)
    assert exam.title in client.get("/").get_data(as_text=True)
    attempt = start_attempt(employee, exam, datetime.now(UTC))
    single = next(i for i in attempt.items if i["type"] == "single")
    wrong = [o["oid"] for o in single["options"] if not o["correct"]][:1]
    save_answer(attempt, single["iid"], wrong, 0, datetime.now(UTC))
    submit_attempt(attempt, datetime.now(UTC))
    db.session.commit()
    book = client.get("/quiz/mistakes").get_data(as_text=True)
    assert "安全生产工作的方针是？" in book and "依据第三条。" in book and "中华人民共和国安全生产法" in book
    practice = client.get("/quiz/practice").get_data(as_text=True)
    assert "安全生产工作的方针是？" in practice
    before = db.session.scalar(db.select(db.func.count(Attempt.id)))
    qid = single["qid"]
    checked = client.post("/quiz/practice", data={"qid": str(qid), f"p-{qid}": "1"}).get_data(as_text=True)
    assert "答对 1 / 1 题" in checked
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == before


def test_english_examinee_sees_true_false_options_and_review_in_english(client, login, make_employee, exam):
    english = make_employee(name="Li Lei")
    english.locale = "en"
    db.session.commit()
    login(english)
    attempt = _start(client, exam)
    html = client.get(f"/quiz/attempts/{attempt.id}").get_data(as_text=True)
    tf = next(i for i in attempt.items if i["type"] == "truefalse")
    labels = re.findall(r'<span class="quiz-letter">.</span><span>([^<]*)</span>',
                        html.split(f'data-item="{tf["iid"]}"')[1].split("</fieldset>")[0])
    assert labels == ["True", "False"]  # a 判断题 reads True/False; Correct/Incorrect is the verdict
    result = client.post(f"/quiz/attempts/{attempt.id}/submit", data={"revision": "0"})
    page = client.get(result.headers["Location"]).get_data(as_text=True)
    assert "False" in page and "错误" not in page
