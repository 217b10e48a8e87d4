"""岗位安全风险告知卡: red hazards of the post, a QR code that decodes to the post page, the post page check."""

from __future__ import annotations

import re

from core.extensions import db
from kb.models import DocumentKind, HazardRow
from safety.models import PostCheck


def _hazard_list(plant, make_document):
    """冲压一班's list: one red row (D = 10 × 6 × 40 = 2400) and one yellow row (D = 3 × 6 × 7 = 126)."""
    document = make_document(DocumentKind.HAZARD_LIST, slug="hz-card", title="冲压一班清单", owner=plant["dept"])
    document.team = plant["team1"]
    revision = document.published_revision
    revision.hazard_rows = [
        HazardRow(position=0, activity="开式压力机冲压", hazard="手伸入模具区被压伤", accident_type="机械致害",
                  likelihood=10, exposure=6, consequence=40, measures="双手按钮、光电保护", responsible="李班长"),
        HazardRow(position=1, activity="搬运板料", hazard="板料边缘划伤", accident_type="其他事故",
                  likelihood=3, exposure=6, consequence=7, measures="戴防割手套", responsible="李班长"),
    ]
    plant["sop_press"].published_revision.fields = {"ppe": ["安全帽", "防割手套"], "prohibitions": ["严禁手伸入模具区"],
                                                    "emergency": ["立即按下急停按钮"]}
    db.session.commit()
    return document


def _svg_matrix(svg: str) -> list[list[bool]]:
    """Rebuild the module matrix from segno's SVG path (M/m moves, h runs of dark modules)."""
    width = int(re.search(r'width="(\d+)"', svg).group(1)) // 4
    path = re.search(r' d="([^"]+)"', svg).group(1)
    grid = [[False] * width for _ in range(width)]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for dx in range(int(float(a))):
                grid[int(y)][int(x) + dx] = True
            x += float(a)
    return grid


def _decode(svg: str) -> str:
    import zxingcpp
    from PIL import Image

    grid = _svg_matrix(svg)
    scale, size = 6, len(grid)
    image = Image.new("L", (size * scale, size * scale), 255)
    for row, cells in enumerate(grid):
        for col, dark in enumerate(cells):
            if dark:
                image.paste(0, (col * scale, row * scale, (col + 1) * scale, (row + 1) * scale))
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found in the card's SVG"
    return results[0].text


def test_card_holds_red_hazards_and_a_qr_code_to_the_post_page(client, login, plant, make_document, make_employee):
    _hazard_list(plant, make_document)
    worker = make_employee(team=plant["team1"], position=plant["press"])
    login(worker)
    html = client.get(f"/safety/cards/{plant['press'].id}").get_data(as_text=True)
    assert "开式压力机冲压" in html and "重大风险（红）" in html and "双手按钮、光电保护" in html
    assert "板料边缘划伤" not in html  # yellow rows stay off the card
    assert "严禁手伸入模具区" in html and "立即按下急停按钮" in html and "119" in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert _decode(svg) == f"http://localhost/safety/post/{plant['press'].id}"


def test_department_prints_all_its_cards_and_rows_get_their_own(client, login, plant, make_document, make_employee):
    hazards = _hazard_list(plant, make_document)
    make_employee(team=plant["team1"], position=plant["press"])
    make_employee(team=plant["team2"], position=plant["crane"])
    login(plant["officer"])
    page = client.get(f"/safety/departments/{plant['dept'].id}/cards").get_data(as_text=True)
    assert page.count('<article class="risk-card') == 2 and page.count("<svg") == 2
    red = hazards.published_revision.hazard_rows[0]
    row_card = client.get(f"/safety/cards/{plant['press'].id}/rows/{red.id}")
    assert row_card.status_code == 200 and "开式压力机冲压" in row_card.get_data(as_text=True)
    yellow = hazards.published_revision.hazard_rows[1]
    assert client.get(f"/safety/cards/{plant['press'].id}/rows/{yellow.id}").status_code == 404


def test_post_page_check_is_recorded_as_practice(client, login, plant, make_document, make_employee):
    from training.quiz.models import Question

    _hazard_list(plant, make_document)
    for n in range(4):
        question = Question(key=f"q{n}", type="single", level="team", topic="冲压", stem=f"冲压自查题{n}",
                            options=["对的做法", "错的做法"], answer=[0], positions=[plant["press"]])
        db.session.add(question)
    db.session.commit()
    worker = make_employee(team=plant["team1"], position=plant["press"])
    login(worker)
    page = client.get(f"/safety/post/{plant['press'].id}").get_data(as_text=True)
    assert page.count("冲压自查题") == 3 and "冲压工安全操作规程" in page and "立即按下急停按钮" in page
    asked = [int(i) for i in re.findall(r'name="q-(\d+)"', page)]
    answers = {f"q-{qid}": "0" for qid in dict.fromkeys(asked)}
    answers[f"q-{asked[0]}"] = "1"
    result = client.post(f"/safety/post/{plant['press'].id}/check", data=answers).get_data(as_text=True)
    assert "答对 2 / 3 题" in result
    check = db.session.query(PostCheck).one()
    assert check.employee_id == worker.id and (check.correct, check.total) == (2, 3)


def test_card_carries_the_kb_emergency_card_when_a_plan_names_the_position(client, login, plant, make_document,
                                                                          make_employee):
    _hazard_list(plant, make_document)
    make_document(DocumentKind.EMERGENCY_PLAN, slug="onsite-press", title="冲压伤害现场处置方案",
                  positions=[plant["press"]], owner=plant["dept"],
                  fields={"level": "现场处置方案", "response": ["按下急停，断电挂牌"], "contacts": ["车间值班 8001"],
                          "equipment": ["急救箱"]})
    login(make_employee(team=plant["team1"], position=plant["press"]))
    html = client.get(f"/safety/cards/{plant['press'].id}").get_data(as_text=True)
    assert "岗位应急处置卡" in html and "按下急停，断电挂牌" in html and "车间值班 8001" in html
