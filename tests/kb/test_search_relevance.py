"""Relevance against the SHIPPED content (content/): what a worker would type finds the right
document in the top 5. The content is imported and indexed once for the whole module."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.app import create_app
from core.extensions import db
from kb.content_import import import_content
from kb.search import engine
from org.demo_org import load_demo_org
from tests.conftest import NOW

QUERIES = [
    # single words
    ("叉车", "sop-forklift"),
    ("动火", "sop-hot-work"),
    ("有限空间", "sop-confined-space"),
    ("剪板机", "sop-shearing-machine"),
    ("砂轮机", "sop-grinder"),
    ("气瓶", "sop-gas-cylinders"),
    ("临时用电", "sop-temporary-electricity"),
    ("安全带", "sop-work-at-height"),
    ("硫化氢", "case-005-confined-space-no-gas-test"),
    ("睡岗", "case-018-sleeping-on-night-shift"),
    ("事故报告", "accident-reporting-regulation"),
    ("粉尘防爆", "dust-explosion-rule"),
    ("职业病", "occupational-disease-law"),
    ("消防法", "fire-protection-law"),
    ("三违", "company-three-violations-rule"),
    ("三级安全教育", "company-training-rule"),
    ("光电保护", "sop-press"),
    # two words
    ("叉车 饮酒", "case-017-drunk-forklift-driver"),
    ("冲压 手机", "case-020-phone-while-pressing"),
    ("数控 联锁", "case-007-cnc-interlock-bypass-ordered"),
    ("动火 监护人 离岗", "case-021-fire-watch-left-post"),
    ("喷漆 静电", "case-015-solvent-static-flash-fire"),
    ("斜拉 斜吊", "case-006-crane-side-pull-near-miss"),
    ("危化品仓库 吸烟", "case-019-smoking-hazchem-store"),
    ("起重机械 安全规程", "gb-6067-1-2010"),
    ("钳工 检修", "sop-fitter"),
    # document numbers
    ("GB 30871-2022", "gb-30871-2022"),
    ("30871", "gb-30871-2022"),
    ("GB/T 33000-2016", "gb-t-33000-2016"),
    ("39800", "gb-39800-1-2020"),
    ("应急管理部令第13号", "confined-space-rule"),
    ("6441", "gb-6441-1986"),
    ("国务院令第493号", "accident-reporting-regulation"),
    # English abbreviations
    ("LOTO", "sop-lockout-tagout"),
    ("SDS", "sop-hazchem-warehouse"),
    ("PPE", "gb-39800-1-2020"),
    # pinyin initials and full pinyin
    ("dhzy", "sop-hot-work"),
    ("yxkj", "sop-confined-space"),
    ("chache", "sop-forklift"),
    ("ssgp", "sop-lockout-tagout"),
    ("jbj", "sop-shearing-machine"),
    # synonyms
    ("受限空间", "sop-confined-space"),
    ("热工作业", "sop-hot-work"),
    ("危险化学品 仓库", "sop-hazchem-warehouse"),
    ("天车", "sop-overhead-crane"),
    ("登高作业", "sop-work-at-height"),
    ("空压机", "sop-air-compressor"),
    ("铲车", "sop-forklift"),
]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped demo organisation and content, imported and indexed once (own SQLite file)."""
    root = tmp_path_factory.mktemp("relevance")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{root}/kb.db",
                      "INSTANCE_PATH": str(root / "instance"), "SEARCH_INDEX_DIR": str(root / "index"),
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    content = Path(app.config["CONTENT_DIR"])
    with app.app_context():
        db.create_all()
        load_demo_org(content / "demo" / "org.yaml", NOW)
        import_content(content, NOW)
        db.session.commit()
        engine.rebuild()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(("text", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_expected_document_in_top_five(shipped, text, expected):
    found = [hit.document.slug for hit in engine.query(text, per_page=5).hits]
    assert expected in found, f"{text!r}: {found}"


def test_there_are_enough_queries_of_each_sort():
    assert len(QUERIES) >= 30
