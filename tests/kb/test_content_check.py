"""`flask content check`: fails on anything citing a repealed or replaced standard as current, warns on
regulations whose status has not been verified recently, and passes on the shipped content."""

from datetime import date
from pathlib import Path

import pytest

from core.extensions import db

OLD = """---
title: 安全标志及其使用导则
owner: AQ
issuer: 国家质量监督检验检疫总局、国家标准化管理委员会
doc_number: GB 2894-2008
level: 国家标准
effective_date: 2009-10-01
validity: 已废止
replaced_by: gb-2894-2025
---

本标准已被 GB 2894-2025 代替。
"""

NEW = """---
title: 安全色和安全标志
owner: AQ
issuer: 国家市场监督管理总局、国家标准化管理委员会
doc_number: GB 2894-2025
level: 国家标准
effective_date: 2026-03-01
validity: 现行
verified_on: {verified}
verified_source: 国家标准全文公开系统
---

2026年3月1日起代替 GB 2894-2008。
"""

UNSURE = """---
title: 特种作业人员安全技术培训考核管理规定
owner: AQ
issuer: 原国家安全生产监督管理总局
doc_number: 原国家安全生产监督管理总局令第30号
level: 部门规章
effective_date: 2010-07-01
validity: 待核实
validity_note: 公开资料称已被应急管理部令第19号代替，尚未查到部门官方发布文本
---
"""

PROCEDURE = """---
title: 质检员安全操作规程
owner: AQ
positions: [inspector]
ppe: [安全帽]
before_work: [检查安全标志]
during_work: [按标志通行]
after_work: [整理现场]
prohibitions: [严禁移动安全标志]
emergency: [立即报告]
references:
  - gb-2894-2025
  - {reference}
---

安全标志按{body}执行。
"""

QUESTIONS = """- key: x-001
  type: truefalse
  level: company
  topic: 安全标志
  stem: 禁止标志是红色圆环加斜线。
  answer: true
  explanation: 见标准。
  source: {source}
"""


@pytest.fixture
def content(tmp_path, make_department, make_position) -> Path:
    make_department("AQ", "安全环保部")
    make_position("inspector", "质检员")
    root = tmp_path / "content"
    for folder in ("regulations", "procedures", "questions"):
        (root / folder).mkdir(parents=True)
    (root / "regulations" / "gb-2894-2008.md").write_text(OLD, encoding="utf-8")
    (root / "regulations" / "gb-2894-2025.md").write_text(NEW.format(verified="2026-11-20"), encoding="utf-8")
    _write(root, reference="gb-2894-2025", body="现行 GB 2894-2025", source="gb-2894-2025")
    return root


def _write(root: Path, reference: str, body: str, source: str) -> None:
    (root / "procedures" / "sop-inspector.md").write_text(
        PROCEDURE.format(reference=reference, body=body), encoding="utf-8")
    (root / "questions" / "q.yaml").write_text(QUESTIONS.format(source=source), encoding="utf-8")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("kb.cli.today", lambda: date(2026, 11, 29))


def test_clean_content_passes(content, runner):
    result = runner.invoke(args=["content", "check", str(content)])
    assert result.exit_code == 0, result.output
    assert "全部通过校验" in result.output and "警告" not in result.output


def test_citing_a_repealed_standard_as_current_fails_naming_file_and_line(content, runner):
    _write(content, reference="gb-2894-2008", body="现行标准《安全标志及其使用导则》GB 2894-2008",
           source="gb-2894-2008")
    result = runner.invoke(args=["content", "check", str(content)])
    assert result.exit_code == 1
    output = result.output
    old = "《安全标志及其使用导则》（GB 2894-2008，已废止）"
    assert f"content/procedures/sop-inspector.md:13: 依据法规引用了{old}" in output
    assert "应改为引用替代它的文档（gb-2894-2025）" in output
    assert f"content/procedures/sop-inspector.md:16: 把{old}当作现行标准引用" in output
    assert "content/questions/q.yaml:8: 题目来源是《安全标志及其使用导则》" in output
    assert "有 3 处把已废止或已被替代的标准当作现行引用" in output


@pytest.mark.parametrize(("text", "flagged"), [
    ("GB 2894-2008（现行）", True),
    ("GB/T 2894-2008 现行有效", True),
    ("现行标准为 GB 2894-2008", True),
    ("现行 GB 2894-2025，2026年3月1日起代替 GB 2894-2008", False),
    ("原现行 GB 2894-2008 已废止", False),
    ("公司现行按 GB 2894-2008 编制的标志台账将逐步更换", False),
])
def test_only_a_number_presented_as_current_is_flagged(content, runner, text, flagged):
    _write(content, reference="gb-2894-2025", body=text, source="gb-2894-2025")
    result = runner.invoke(args=["content", "check", str(content)])
    assert (result.exit_code == 1) is flagged, result.output


def test_unverified_and_stale_regulations_warn_but_pass(content, runner):
    (content / "regulations" / "gb-2894-2025.md").write_text(NEW.format(verified="2026-03-01"), encoding="utf-8")
    (content / "regulations" / "special-operations-rule.md").write_text(UNSURE, encoding="utf-8")
    result = runner.invoke(args=["content", "check", str(content)])
    assert result.exit_code == 0, result.output
    assert "警告 content/regulations/gb-2894-2025.md:9: 最近核实于 2026-03-01，已超过 180 天" in result.output
    assert "效力待核实：公开资料称已被应急管理部令第19号代替" in result.output
    assert "（2 条警告）" in result.output


@pytest.mark.config(REGULATION_VERIFY_MAX_DAYS=365)
def test_verification_age_is_a_setting(content, runner):
    (content / "regulations" / "gb-2894-2025.md").write_text(NEW.format(verified="2026-03-01"), encoding="utf-8")
    result = runner.invoke(args=["content", "check", str(content)])
    assert result.exit_code == 0 and "警告" not in result.output


def test_unverified_status_needs_a_reason(content, runner):
    (content / "regulations" / "special-operations-rule.md").write_text(
        UNSURE.replace("validity_note: 公开资料称已被应急管理部令第19号代替，尚未查到部门官方发布文本\n", ""),
        encoding="utf-8")
    result = runner.invoke(args=["content", "check", str(content)])
    assert result.exit_code == 1
    assert "special-operations-rule.md:8: 效力为“待核实”时须填写效力说明" in result.output


def test_a_training_programme_citing_a_repealed_standard_fails(content, runner, make_employee):
    from sqlalchemy import select

    from kb.content_import import import_content
    from kb.models import Document
    from tests.conftest import NOW
    from training.induction.models import Level, Programme, ProgrammeItem

    import_content(content, NOW)
    old = db.session.scalar(select(Document).where(Document.slug == "gb-2894-2008"))
    db.session.add(Programme(level=Level.COMPANY, title="公司级安全教育", items=[
        ProgrammeItem(document_id=old.id, position=0)]))
    db.session.commit()
    result = runner.invoke(args=["content", "check", str(content)])
    assert result.exit_code == 1
    assert ("培训方案“公司级安全教育”（公司级）: 第 1 项学习资料是《安全标志及其使用导则》（GB 2894-2008，已废止）"
            in result.output)


def test_shipped_content_passes_the_check(app, runner):
    from org.demo_org import load_demo_org
    from tests.conftest import NOW

    root = Path(app.config["CONTENT_DIR"])
    load_demo_org(root / "demo" / "org.yaml", NOW)
    db.session.commit()
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
