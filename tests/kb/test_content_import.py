"""Content import: all-or-nothing validation with file and line, idempotence, new revisions."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.exceptions import ValidationFailed
from core.extensions import db
from kb.content_import import import_content
from kb.models import Document, Revision, RevisionStatus
from tests.conftest import NOW

PROCEDURE = """---
title: 冲压工安全操作规程
owner: CY
positions: [press-operator]
ppe: [护目镜]
before_work: [检查光电保护]
during_work: [严禁手伸入模区]
after_work: [切断电源]
prohibitions: [严禁连续行程手工送料]
emergency: [立即急停]
references: [work-safety-law]
---

## 适用范围

冲压岗位。
"""

REGULATION = """---
title: 中华人民共和国安全生产法
owner: AQ
issuer: 全国人民代表大会常务委员会
doc_number: 中华人民共和国主席令第八十八号
level: 法律
effective_date: 2021-09-01
validity: 现行
---

### 第二十八条 从业人员教育和培训

未经培训合格不得上岗。
"""

HAZARDS = """---
title: 冲压一班危险源清单
owner: CY
team: CY1
rows:
  - activity: 送料
    hazard: 压手
    accident_type: 机械致害
    L: 3
    E: 6
    C: 7
    measures: 光电保护
    responsible: 班组长
  - activity: 清扫
    hazard: 滑倒
    accident_type: 其它事故
    L: 1
    E: 6
    C: 1
    measures: 清理油污
    responsible: 操作工
---
"""


@pytest.fixture
def org(make_department, make_team, make_position):
    cy = make_department("CY", "冲压车间")
    make_department("AQ", "安全环保部")
    make_team(cy, code="CY1")
    make_position("press-operator", "冲压工")


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    for folder, name, text in (("procedures", "sop-press", PROCEDURE), ("regulations", "work-safety-law", REGULATION),
                               ("hazards", "hazards-cy1", HAZARDS)):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def _revisions() -> int:
    return db.session.scalar(select(func.count()).select_from(Revision))


def test_import_publishes_then_reimport_is_a_no_op(org, content):
    report = import_content(content, NOW)
    db.session.commit()
    assert sorted(report.created) == ["hazards-cy1", "sop-press", "work-safety-law"]
    law = db.session.scalar(select(Document).where(Document.slug == "work-safety-law"))
    assert law.is_published and law.doc_number == "中华人民共和国主席令第八十八号" and law.validity == "现行"
    assert law.published_revision.approver is None and law.published_revision.author is None
    assert 'id="第二十八条"' in law.published_revision.body_html
    hazards = db.session.scalar(select(Document).where(Document.slug == "hazards-cy1"))
    assert [r.accident_type for r in hazards.published_revision.hazard_rows] == ["机械致害", "其他事故"]
    assert hazards.team.code == "CY1"

    again = import_content(content, NOW + timedelta(hours=1))
    db.session.commit()
    assert len(again.unchanged) == 3 and not again.created and not again.updated
    assert _revisions() == 3


def test_changed_file_becomes_revision_two(org, content):
    import_content(content, NOW)
    db.session.commit()
    path = content / "procedures" / "sop-press.md"
    path.write_text(PROCEDURE.replace("ppe: [护目镜]", "ppe: [护目镜, 耳塞]\nchange_note: 增加耳塞"), encoding="utf-8")
    report = import_content(content, NOW + timedelta(days=1))
    db.session.commit()
    assert report.updated == ["sop-press"]
    sop = db.session.scalar(select(Document).where(Document.slug == "sop-press"))
    assert [(r.number, r.status) for r in sop.revisions] == [
        (1, RevisionStatus.SUPERSEDED), (2, RevisionStatus.PUBLISHED)]
    assert sop.published_revision.change_note == "增加耳塞"
    assert sop.published_revision.fields["ppe"] == ["护目镜", "耳塞"]


@pytest.mark.parametrize(("folder", "name", "broken", "expected"), [
    ("procedures", "sop-press", PROCEDURE.replace("ppe: [护目镜]", "ppe: [护目镜"), "sop-press.md:6: YAML 语法错误"),
    ("hazards", "hazards-cy1", HAZARDS.replace("    C: 7", "    C: 8"),
     "hazards-cy1.md:11: 第 1 行危险源：后果严重程度 C"),
    ("procedures", "sop-press", PROCEDURE.replace("[press-operator]", "[press-operater]"),
     "sop-press.md:4: 未知的岗位代码“press-operater”"),
    ("procedures", "sop-press", PROCEDURE.replace("[work-safety-law]", "[no-such-law]"), "sop-press.md:11:"),
    ("regulations", "work-safety-law", REGULATION.replace("2021-09-01", "2021-13-01"), "work-safety-law.md:7:"),
    ("regulations", "work-safety-law", REGULATION.replace("issuer: 全国人民代表大会常务委员会\n", ""),
     "work-safety-law.md:1: 缺少必填项“发布机关”"),
])
def test_broken_file_writes_nothing_and_names_file_and_line(org, content, folder, name, broken, expected):
    (content / folder / f"{name}.md").write_text(broken, encoding="utf-8")
    with pytest.raises(ValidationFailed) as error:
        import_content(content, NOW)
    db.session.rollback()
    assert any(expected in problem for problem in error.value.problems), error.value.problems
    assert _revisions() == 0 and db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_cli_reports_problems_and_exits_non_zero(org, content, runner):
    (content / "hazards" / "hazards-cy1.md").write_text(HAZARDS.replace("L: 3", "L: 4"), encoding="utf-8")
    result = runner.invoke(args=["content", "import", str(content)])
    assert result.exit_code == 1
    assert "hazards-cy1.md:9:" in result.output and "L" in result.output
    ok = runner.invoke(args=["content", "check", str(content)])
    assert ok.exit_code == 1


def test_shipped_content_imports_cleanly(app):
    from org.demo_org import load_demo_org

    root = Path(app.config["CONTENT_DIR"])
    load_demo_org(root / "demo" / "org.yaml", NOW)
    report = import_content(root, NOW)
    db.session.commit()
    assert len(report.created) >= 70
    assert not import_content(root, NOW).created
