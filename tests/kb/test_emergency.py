"""Emergency plans (应急预案): import format, document page, list filter, 岗位应急处置卡, and the demo
plant's coverage (every team a hazard list, every high-risk position a card)."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from core.exceptions import ValidationFailed
from core.extensions import db
from kb.content_import import import_content
from kb.models import Document, DocumentKind
from kb.services.emergency import emergency_card_for
from org.models import Position, Team
from tests.conftest import NOW

HAZARDS = """---
title: 机械维修班危险源清单
owner: SB
team: SB2
rows:
  - activity: 有限空间作业（污水池清淤）
    hazard: 缺氧、硫化氢中毒
    accident_type: 中毒
    L: 3
    E: 3
    C: 40
    measures: 先通风、再检测、后作业
    responsible: 班组长
  - activity: 设备检修能量隔离
    hazard: 误启动卷入
    accident_type: 机械致害
    L: 3
    E: 6
    C: 15
    measures: 上锁挂牌
    responsible: 班组长
occupational:
  - factor: 噪声
    activity: 空压站巡检
    exposure: 每班 1 小时
    limit: GBZ 2.2-2007：8 小时等效声级 85 dB(A)
    judgement: 未超过限值
    measures: 佩戴耳塞
    responsible: 班组长
---
"""

PLAN = """---
title: 有限空间中毒窒息现场处置方案
owner: SB
level: 现场处置方案
positions: [fitter]
scenario: 污水池清淤时作业人员中毒晕倒。
hazard_rows:
  - hazards-sb2#有限空间作业
alarm:
  - 监护人大声呼救并拨打内线 8110
response:
  - 监护人不得进入，用三脚架和救生绳拉出
evacuation:
  - 无关人员撤离出入口
cautions:
  - 严禁盲目施救
contacts:
  - 厂应急值班电话：内线 8110
equipment:
  - 正压式空气呼吸器
drill_months: 6
---

## 岗位说明

适用于机修钳工。
"""


@pytest.fixture
def content(tmp_path, make_department, make_team, make_position) -> Path:
    sb = make_department("SB", "设备动力部")
    make_team(sb, code="SB2")
    make_position("fitter", "机修钳工", high_risk=True)
    make_position("painter", "喷涂工", high_risk=True)
    root = tmp_path / "content"
    (root / "hazards").mkdir(parents=True)
    (root / "emergency").mkdir()
    (root / "hazards" / "hazards-sb2.md").write_text(HAZARDS, encoding="utf-8")
    (root / "emergency" / "onsite-fitter.md").write_text(PLAN, encoding="utf-8")
    return root


def test_plan_imports_and_makes_a_card_for_its_position(content):
    report = import_content(content, NOW)
    db.session.commit()
    assert sorted(report.created) == ["hazards-sb2", "onsite-fitter"]
    plan = db.session.scalar(select(Document).where(Document.slug == "onsite-fitter"))
    assert plan.kind == DocumentKind.EMERGENCY_PLAN and [p.code for p in plan.positions] == ["fitter"]
    fitter = db.session.scalar(select(Position).where(Position.code == "fitter"))
    card = emergency_card_for(fitter)
    assert [p.revision.title for p in card.plans] == ["有限空间中毒窒息现场处置方案"]
    assert card.contacts == ["厂应急值班电话：内线 8110"] and card.drill == "每半年至少演练一次"
    painter = db.session.scalar(select(Position).where(Position.code == "painter"))
    assert emergency_card_for(painter) is None


@pytest.mark.parametrize(("broken", "expected"), [
    (PLAN.replace("hazards-sb2#有限空间作业", "hazards-sb2#动火"),
     "onsite-fitter.md:8: 危险源清单“hazards-sb2”中没有以“动火”开头的作业活动"),
    (PLAN.replace("level: 现场处置方案", "level: 现场方案"), "onsite-fitter.md:4: 预案层级"),
    (PLAN.replace("drill_months: 6", "drill_months: 半年"),
     "onsite-fitter.md:21: 演练周期（drill_months）应为 1–36 的月数"),
    (PLAN.replace("positions: [fitter]\n", ""), "onsite-fitter.md:1: 缺少必填项“适用岗位”"),
    (PLAN.replace("equipment:\n  - 正压式空气呼吸器\n", ""), "缺少必填项“应急物资与装备”"),
])
def test_broken_plan_names_file_and_line(content, broken, expected):
    (content / "emergency" / "onsite-fitter.md").write_text(broken, encoding="utf-8")
    with pytest.raises(ValidationFailed) as error:
        import_content(content, NOW)
    db.session.rollback()
    assert any(expected in problem for problem in error.value.problems), error.value.problems


def test_occupational_items_are_checked_with_their_line(content):
    (content / "hazards" / "hazards-sb2.md").write_text(HAZARDS.replace("judgement: 未超过限值", "judgement: 合格"),
                                                        encoding="utf-8")
    with pytest.raises(ValidationFailed) as error:
        import_content(content, NOW)
    db.session.rollback()
    assert any("hazards-sb2.md:27: 第 1 项职业病危害因素：判定“合格”无效" in p for p in error.value.problems), \
        error.value.problems


def test_pages_show_the_plan_the_card_and_the_occupational_section(content, client, login, make_employee):
    import_content(content, NOW)
    db.session.commit()
    login(make_employee())
    page = client.get("/kb/d/onsite-fitter").get_data(as_text=True)
    for text in ("现场处置方案", "适用情形", "污水池清淤时作业人员中毒晕倒", "报警与报告", "处置步骤", "疏散与撤离",
                 "注意事项", "应急物资与装备", "每半年至少演练一次", "对应的危险源", "有限空间作业（污水池清淤）",
                 "重大（红）", "打印岗位应急处置卡：机修钳工"):
        assert text in page, text
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "hazards-sb2" not in visible and "fitter" not in visible and "现场处置方案" in visible
    card = client.get("/kb/positions/fitter/emergency-card")
    body = card.get_data(as_text=True)
    assert card.status_code == 200 and "岗位应急处置卡" in body and "监护人不得进入，用三脚架和救生绳拉出" in body
    assert "emergency-card.css" in body and "em-size-a5" in body
    assert "em-size-a4" in client.get("/kb/positions/fitter/emergency-card?size=a4").get_data(as_text=True)
    assert client.get("/kb/positions/painter/emergency-card").status_code == 404
    assert client.get("/kb/positions/nobody/emergency-card").status_code == 404
    hazards = client.get("/kb/d/hazards-sb2").get_data(as_text=True)
    assert "职业病危害因素" in hazards and "GBZ 2.2-2007" in hazards and "相关应急预案" in hazards
    listing = client.get("/kb/emergency?level=现场处置方案").get_data(as_text=True)
    assert "有限空间中毒窒息现场处置方案" in listing and "岗位应急处置卡" in listing
    assert "有限空间中毒窒息现场处置方案" not in client.get("/kb/emergency?level=综合应急预案").get_data(as_text=True)


def test_every_team_has_a_hazard_list_and_every_high_risk_position_a_card(app):
    """The shipped demo plant: the coverage a safety department is inspected on."""
    from kb.services.emergency import positions_with_cards
    from org.demo_org import load_demo_org

    root = Path(app.config["CONTENT_DIR"])
    load_demo_org(root / "demo" / "org.yaml", NOW)
    import_content(root, NOW)
    db.session.commit()
    listed = set(db.session.scalars(select(Document.team_id).where(
        Document.kind == DocumentKind.HAZARD_LIST, Document.published_revision_id.is_not(None))))
    teams = db.session.scalars(select(Team).where(Team.active)).all()
    assert teams and [t.name for t in teams if t.id not in listed] == []
    high_risk = db.session.scalars(select(Position).where(Position.high_risk, Position.active)).all()
    assert len(high_risk) >= 9
    with_cards = positions_with_cards()
    assert [p.name for p in high_risk if p.id not in with_cards] == []
    assert all(emergency_card_for(p).plans for p in high_risk)


def test_plan_form_names_hazard_rows_by_list_and_activity_and_keeps_a_stored_reference(content, client, login,
                                                                                       make_employee):
    from org.models import Role

    import_content(content, NOW)
    db.session.commit()
    login(make_employee(roles={Role.SAFETY_DEPT}))
    client.post("/kb/d/onsite-fitter/revise")
    page = client.get("/kb/d/onsite-fitter/edit").get_data(as_text=True)
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "机械维修班危险源清单 · 有限空间作业（污水池清淤）：缺氧、硫化氢中毒" in visible
    assert "机械维修班危险源清单 · 设备检修能量隔离：误启动卷入" in visible
    assert "hazards-sb2" not in visible
    ticked = re.findall(r'name="hazard_rows" value="([^"]+)" checked', page)
    assert ticked == ["hazards-sb2#有限空间作业"]  # the stored reference, on the row it names
