"""Ranking as a worker notices it: documents with every word first and a notice when none has them
all, 三违 types and accident types as facts, current editions above repealed ones, stray spaces,
OR, and the shipped synonym list."""

from __future__ import annotations

import pytest

from core.extensions import db
from kb.models import DocumentKind, HazardRow, Revision
from kb.search import engine
from kb.search.synonyms import load_shipped, shipped_groups, synonym_groups
from kb.services.publishing import make_published
from tests.conftest import NOW

NOTICE = "未找到同时包含“叉车”“饮酒”的文档，以下结果包含部分关键词"


@pytest.fixture
def publish(make_document):
    def do(rows=(), **kwargs):
        document = make_document(published=False, **kwargs)
        revision = db.session.get(Revision, document.revisions[0].id)
        for n, row in enumerate(rows):
            db.session.add(HazardRow(revision=revision, position=n, likelihood=3, exposure=6, consequence=15,
                                     measures="停机检修", responsible="班组长", **row))
        make_published(revision, None, NOW)
        db.session.commit()
        return document

    return do


@pytest.fixture
def built(app):
    engine.rebuild()


def slugs(text: str, **filters) -> list[str]:
    return [hit.document.slug for hit in engine.query(text, **filters).hits]


def test_documents_with_every_word_come_before_documents_with_some(built, publish, client, login, make_employee):
    publish(slug="forklift", title="叉车司机安全操作规程", body="叉车 叉车 叉车 行驶限速，倒车鸣笛。")
    publish(slug="drunk", title="叉车司机午间饮酒后上岗", body="饮酒后驾驶叉车刮撞货架。")
    publish(slug="wine", title="劳动纪律", body="严禁班前饮酒。")
    result = engine.query("叉车 饮酒")
    assert [h.document.slug for h in result.hits][0] == "drunk"
    assert [h.partial for h in result.hits] == [False, True, True]
    assert not result.only_partial
    login(make_employee())
    html = client.get("/kb/search?q=叉车 饮酒").get_data(as_text=True)
    assert html.index("drunk\"") < html.index("以下结果只包含部分关键词") < html.index("wine\"")
    assert "未找到同时包含" not in html


def test_when_no_document_has_every_word_the_partial_ones_show_with_a_notice(
        built, publish, client, login, make_employee):
    publish(slug="forklift", title="叉车司机安全操作规程", body="倒车鸣笛。")
    publish(slug="wine", title="劳动纪律", body="严禁班前饮酒。")
    publish(slug="other", title="砂轮机安全操作规程", body="更换砂轮。")
    result = engine.query("叉车 饮酒")
    assert sorted(h.document.slug for h in result.hits) == ["forklift", "wine"]
    assert result.only_partial and result.missing_words_notice == NOTICE
    login(make_employee())
    html = client.get("/kb/search?q=叉车 饮酒").get_data(as_text=True)
    assert NOTICE in html and "没有找到" not in html
    html = client.get("/kb/search?q=叉车").get_data(as_text=True)
    assert "未找到同时包含" not in html


def test_a_document_with_more_of_the_words_ranks_above_one_with_fewer(built, publish):
    publish(slug="one", title="叉车", body="叉车 叉车 叉车 叉车")
    publish(slug="two", title="叉车 手机", body="叉车 手机")
    assert slugs("叉车 饮酒 手机")[:2] == ["two", "one"]


def test_or_finds_either_word(built, publish):
    publish(slug="forklift", title="叉车司机安全操作规程", body="倒车鸣笛。")
    publish(slug="crane", title="桥式起重机司机安全操作规程", body="起吊前检查钢丝绳。")
    assert sorted(slugs("叉车 OR 钢丝绳")) == ["crane", "forklift"]
    assert slugs("叉车 钢丝绳") != []  # without OR: partial matches, never an empty page


@pytest.mark.parametrize("violation", ["违章指挥", "违章作业", "违反劳动纪律"])
def test_a_violation_type_query_lists_cases_of_that_type_first(built, publish, violation):
    types = ["违章指挥", "违章作业", "违反劳动纪律"]
    for kind in types:
        for n in range(2):
            # every case mentions all three types in its text; only the field tells them apart
            publish(kind=DocumentKind.CASE, slug=f"{kind}-{n}", title=f"冲压工案例{n}",
                    body="从业人员有权拒绝违章指挥，不得违章作业，不得违反劳动纪律。" * (3 if kind != violation else 1),
                    fields={"violation_type": kind})
    found = slugs(violation)
    assert found[:2] and all(s.startswith(violation) for s in found[:2]), found


def test_a_gb_6441_1986_accident_type_finds_rows_named_by_gb_6441_2025(built, publish):
    publish(kind=DocumentKind.HAZARD_LIST, slug="press-hazards", title="冲压一班危险源辨识清单", body="",
            rows=[{"activity": "冲压作业", "hazard": "手伸入模具区被压伤", "accident_type": "机械致害"}])
    publish(kind=DocumentKind.HAZARD_LIST, slug="store-hazards", title="仓库危险源辨识清单", body="",
            rows=[{"activity": "叉车装卸", "hazard": "撞人", "accident_type": "厂（场）内车辆致害"}])
    assert slugs("机械伤害") == ["press-hazards"]
    assert slugs("车辆伤害") == ["store-hazards"]
    assert slugs("厂内车辆致害") == ["store-hazards"]


def test_a_current_standard_ranks_above_its_repealed_edition_which_stays_findable(
        built, publish, client, login, make_employee):
    body = "安全标志 " * 3
    publish(kind=DocumentKind.REGULATION, slug="gb-2894-2008", title="GB 2894-2008 安全标志及其使用导则",
            body=body * 3, fields={"doc_number": "GB 2894-2008", "validity": "已废止"})
    publish(kind=DocumentKind.REGULATION, slug="gb-2894-2025", title="GB 2894-2025 安全色和安全标志",
            body=body, fields={"doc_number": "GB 2894-2025", "validity": "现行"})
    assert slugs("安全标志") == ["gb-2894-2025", "gb-2894-2008"]
    assert slugs("GB 2894") == ["gb-2894-2025", "gb-2894-2008"]
    assert slugs("2894-2008")[0] == "gb-2894-2008"
    login(make_employee())
    html = client.get("/kb/search?q=安全标志").get_data(as_text=True)
    assert '<span class="badge warn">已废止</span>' in html


@pytest.mark.parametrize("typed", ["剪板 机", "剪 板机", "剪板\u3000机", "剪板机 "])
def test_a_space_inside_a_word_is_ignored(built, publish, typed):
    publish(slug="shear", title="剪板机安全操作规程", body="送料时手离开压料脚。")
    publish(slug="press", title="压力机安全操作规程", body="机 机 机 板 板")
    assert slugs(typed) == ["shear"]


def test_everyday_words_find_the_formal_ones(built, publish):
    publish(slug="cylinders", title="气瓶搬运存放安全操作规程", body="气瓶直立存放，防倾倒。")
    publish(slug="grinder", title="砂轮机安全操作规程", body="作业时佩戴护目镜。")
    publish(slug="hazchem", title="危化品仓库安全操作规程", body="每日巡查有无泄漏。")
    publish(kind=DocumentKind.REGULATION, slug="special-ops", title="特种作业人员安全技术培训考核管理规定",
            body="特种作业人员必须取得特种作业操作证。")
    assert slugs("氧气瓶") == ["cylinders"]
    assert slugs("防护眼镜") == ["grinder"]
    assert slugs("跑冒滴漏") == ["hazchem"]
    assert slugs("电工证") == ["special-ops"]


def test_the_shipped_synonym_list_pairs_everyday_words_with_words_the_content_uses(app):
    groups = shipped_groups()
    assert len(groups) >= 60
    from pathlib import Path

    content = "".join(p.read_text(encoding="utf-8").lower()
                      for p in Path(app.config["CONTENT_DIR"]).rglob("*.md")).lower()
    unused = [g for g in groups if not any(word.lower() in content for word in g)]
    assert unused == []
    assert not any({"违章指挥", "违章作业"} <= set(g) for g in groups)  # they name different cases


def test_load_synonyms_adds_new_shipped_groups_and_keeps_edits(app, runner):
    synonym_groups()  # first use seeds the shipped list
    from kb.search.models import SearchSynonym

    first = db.session.scalars(db.select(SearchSynonym).order_by(SearchSynonym.position)).first()
    first.terms = "有限空间 / 受限空间 / 密闭空间 / 罐内作业"
    db.session.delete(db.session.scalars(db.select(SearchSynonym).order_by(SearchSynonym.position.desc())).first())
    db.session.add(SearchSynonym(terms="三违 / 违章指挥 / 违章作业 / 违反劳动纪律", position=999))
    db.session.commit()
    result = runner.invoke(args=["search", "load-synonyms"])
    assert result.exit_code == 0, result.output
    assert "新增 1 组" in result.output and "移除 1 组" in result.output
    assert ["有限空间", "受限空间", "密闭空间", "罐内作业"] in synonym_groups()
    assert len(synonym_groups()) == len(shipped_groups())
    assert load_shipped(NOW) == (0, 0)


def test_an_empty_index_answers_with_no_results(built):
    result = engine.query("叉车 饮酒")
    assert result.hits == [] and result.total == 0 and not result.only_partial
