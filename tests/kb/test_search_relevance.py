"""Relevance against the SHIPPED content (content/): what a worker would type finds the right
document in the top 5, on every engine this run can reach (Whoosh always; PostgreSQL when
TEST_DATABASE_URL is a PostgreSQL database). The content is imported and indexed once per engine,
and the hit rate is printed at the end of the run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.app import create_app
from core.extensions import db
from kb.content_import import import_content
from kb.search import engine
from org.demo_org import load_demo_org
from tests.conftest import NOW

# (query, slug that must be in the top 5; "a|b": either will do) by who would type it.
NEW_HIRES = [
    ("叉车", "sop-forklift"), ("动火", "sop-hot-work"), ("有限空间", "sop-confined-space"),
    ("剪板机", "sop-shearing-machine"), ("砂轮机", "sop-grinder"), ("气瓶", "sop-gas-cylinders"),
    ("临时用电", "sop-temporary-electricity"), ("安全带", "sop-work-at-height"),
    ("睡岗", "case-018-sleeping-on-night-shift"), ("职业病", "occupational-disease-law"),
    ("三级安全教育", "company-training-rule"), ("光电保护", "sop-press"), ("氧气瓶", "sop-gas-cylinders"),
    ("氧气瓶 存放", "sop-gas-cylinders"), ("乙炔瓶 回火", "sop-gas-cylinders"), ("电工证", "special-operations-rule"),
    ("焊工证", "special-operations-rule"), ("叉车证", "tsg-z6001-2019"), ("砂轮机 防护眼镜", "sop-grinder"),
    ("跑冒滴漏", "sop-hazchem-warehouse"), ("戴手套 车床", "case-014-gloves-rotating-lathe"),
    ("触电 急救", "emergency-electric-shock"), ("被电打", "onsite-electrician"), ("劳保鞋 配备", "gb-39800-1-2020"),
    ("新员工 培训", "company-training-rule"), ("喝酒 上班", "case-017-drunk-forklift-driver"),
    ("抽烟 仓库", "case-019-smoking-hazchem-store"), ("玩手机 冲床", "case-020-phone-while-pressing"),
    ("睡觉 值班", "case-018-sleeping-on-night-shift"), ("压缩空气 嬉闹", "case-023-compressed-air-horseplay"),
    ("烘干室 脱岗", "case-024-oven-attendant-absent"), ("货叉 登高", "case-016-standing-on-forks"),
    ("升降平台 安全带", "case-011-no-harness-at-height"), ("角磨机", "sop-power-tools"),
    ("手电钻", "sop-power-tools"), ("天那水", "sop-spray-painting"), ("地牛", "sop-warehouse"),
    ("天车", "sop-overhead-crane"), ("铲车", "sop-forklift"), ("空压机", "sop-air-compressor"),
    ("登高作业", "sop-work-at-height"), ("梯子", "sop-work-at-height"), ("心肺复苏", "first-aid-basics"),
    ("急救箱", "onsite-press"), ("止血 包扎", "first-aid-basics"), ("防毒面具 喷漆", "sop-spray-painting"),
    ("耳塞 噪音", "gbz-2-2-2007"), ("电焊 面罩", "sop-welding"), ("漏保", "sop-temporary-electricity"),
    ("私拉乱接", "sop-temporary-electricity"), ("灭火筒", "gb-50140-2005"),
]
TEAM_LEADERS = [
    ("叉车 饮酒", "case-017-drunk-forklift-driver"), ("冲压 手机", "case-020-phone-while-pressing"),
    ("数控 联锁", "case-007-cnc-interlock-bypass-ordered"), ("动火 监护人 离岗", "case-021-fire-watch-left-post"),
    ("喷漆 静电", "case-015-solvent-static-flash-fire"), ("斜拉 斜吊", "case-006-crane-side-pull-near-miss"),
    ("危化品仓库 吸烟", "case-019-smoking-hazchem-store"), ("钳工 检修", "sop-fitter"),
    ("辊道 误启动", "case-010-no-loto-conveyor"), ("光电保护 拆除", "case-009-press-guard-removed"),
    ("带电 断路器", "case-008-live-work-ordered"), ("门联锁 短接", "case-007-cnc-interlock-bypass-ordered"),
    ("模具 滑落", "case-006-crane-side-pull-near-miss"), ("污水池 中毒", "case-005-confined-space-no-gas-test"),
    ("喷漆室 焊接 过滤棉", "case-004-hot-work-without-permit"),
    ("冲模 废料 不停机", "case-003-die-cleaning-without-stop"), ("学徒 电焊", "case-002-unlicensed-welder-ordered"),
    ("无证 叉车 倒车", "case-001-forklift-unlicensed-driver"),
    ("监护人 离开 有限空间", "case-022-confined-space-attendant-left"),
    ("熔渣 引燃", "case-021-fire-watch-left-post"), ("起吊 下方 站人", "case-012-standing-under-load"),
    ("冲压 危险源", "hazards-cy1"), ("焊接一班 危险源", "hazards-hz1"), ("涂装 危险源", "hazards-zp2"),
    ("数控 危险源", "hazards-jg1"), ("电气维修 危险源", "hazards-sb1"), ("叉车运输 危险源", "hazards-cw3"),
    ("化学品仓库 危险源", "hazards-cw2"), ("成品仓库 货架", "hazards-cw1"), ("装配 危险源", "hazards-zp1"),
    ("冲压 现场处置", "onsite-press"), ("叉车 撞人", "onsite-forklift"), ("焊接 火灾 处置", "onsite-welder"),
    ("喷涂 中毒 处置", "onsite-painter"), ("行车 吊物 坠落", "onsite-lifting"),
    ("危化品 泄漏 应急", "emergency-chemical-leak"), ("综合应急预案", "emergency-comprehensive"),
    ("火灾 应急预案", "emergency-fire"), ("有限空间 救援", "emergency-confined-space"),
    ("上锁挂牌 步骤", "sop-lockout-tagout"), ("动火票 审批", "company-hot-work-rule"),
    ("承包商 管理", "company-contractor-rule"), ("外包队 安全协议", "company-contractor-rule"),
    ("安全生产责任制", "company-safety-responsibility"), ("班组长 职责", "company-safety-responsibility"),
    ("三违 处罚", "company-three-violations-rule"), ("质检员", "sop-inspector"), ("装配工", "sop-assembly"),
    ("喷涂 静电", "sop-spray-painting"), ("仓管员", "sop-warehouse"), ("司索 指挥", "sop-rigging"),
    ("挂钩工", "sop-rigging"), ("钢丝绳 报废", "sop-overhead-crane"), ("空压机 储气罐", "sop-air-compressor"),
    ("剪板机 压料", "sop-shearing-machine"), ("数控 防护门", "sop-cnc"), ("CNC", "sop-cnc"),
    ("有限空间 气体检测", "sop-confined-space"), ("交接班 空压机", "sop-air-compressor"),
    ("班前会 冲压", "hazards-cy1"),
]
SAFETY_OFFICERS = [
    ("事故报告", "accident-reporting-regulation"), ("粉尘防爆", "dust-explosion-rule"),
    ("消防法", "fire-protection-law"), ("三违", "company-three-violations-rule"),
    ("起重机械 安全规程", "gb-6067-1-2010"), ("事故报告 时限", "accident-reporting-regulation"),
    ("应急预案 备案", "emergency-plan-rule"), ("应急演练", "emergency-plan-rule"),
    ("应急条例", "emergency-response-regulation"), ("消防安全 管理规定", "fire-safety-management-rule"),
    ("灭火器 配置", "gb-50140-2005"), ("防止静电", "gb-12158-2024"), ("机床 安全防护", "gb-15760-2025"),
    ("安全标志", "gb-2894-2025"), ("安全色", "gb-2894-2025"), ("高处作业 分级", "gb-3608-2025"),
    ("个体防护装备 配备", "gb-39800-1-2020"), ("事故分类", "gb-6441-2025"), ("涂装 通风净化", "gb-6514-2023"),
    ("焊接与切割安全", "gb-9448-2025"), ("应急预案 编制导则", "gb-t-29639-2020"),
    ("安全生产标准化", "gb-t-33000-2025"), ("企业安全生产标准化基本规范", "gb-t-33000-2016"),
    ("职业健康监护", "gbz-188"), ("化学有害因素 接触限值", "gbz-2-1-2019"), ("噪声 接触限值", "gbz-2-2-2007"),
    ("危险化学品安全法", "hazchem-safety-law"), ("危险化学品 条例", "hazchem-regulation"),
    ("重大事故隐患 判定", "major-hazard-criteria"), ("职业病防治", "occupational-disease-law"),
    ("劳动防护用品 管理", "ppe-management-rule"), ("安全培训 规定", "safety-training-rule"),
    ("特种设备 主体责任", "samr-order-74"), ("特种设备安全法", "special-equipment-law"),
    ("特种作业 培训考核", "special-operations-rule"), ("特种设备 使用管理", "tsg-08-special-equipment-use"),
    ("作业人员 考核规则", "tsg-z6001-2019"), ("安全生产法", "work-safety-law"),
    ("职业卫生", "workplace-occupational-health-rule"), ("有限空间 规定", "confined-space-rule"),
    ("受限空间", "sop-confined-space"), ("热工作业", "sop-hot-work"), ("危险化学品 仓库", "sop-hazchem-warehouse"),
]
DOCUMENT_NUMBERS = [
    ("GB 30871-2022", "gb-30871-2022"), ("30871", "gb-30871-2022"), ("GB/T 33000-2016", "gb-t-33000-2016"),
    ("39800", "gb-39800-1-2020"), ("应急管理部令第13号", "confined-space-rule"), ("6441", "gb-6441-1986"),
    ("国务院令第493号", "accident-reporting-regulation"), ("GB 2894", "gb-2894-2025"), ("2894-2008", "gb-2894-2008"),
    ("AQ/T 9006", "aq-t-9006-2010"), ("TSG Z6001", "tsg-z6001-2019"), ("令第30号", "special-operations-rule"),
    ("主席令第八十八号", "work-safety-law"), ("591号", "hazchem-regulation"),
    ("华岳安〔2025〕7号", "company-three-violations-rule"), ("GB 9448", "gb-9448-2025"), ("GBZ 2.1", "gbz-2-1-2019"),
    ("6067.1", "gb-6067-1-2010"), ("国务院令第708号", "emergency-response-regulation"), ("3608", "gb-3608-2025"),
    ("GB 30871-2014", "gb-30871-2014"),
]
ABBREVIATIONS_AND_PINYIN = [
    ("LOTO", "sop-lockout-tagout"), ("SDS", "sop-hazchem-warehouse"), ("PPE", "gb-39800-1-2020"),
    ("MSDS", "sop-hazchem-warehouse"), ("CPR", "first-aid-basics"), ("dhzy", "sop-hot-work"),
    ("yxkj", "sop-confined-space"), ("chache", "sop-forklift"), ("ssgp", "sop-lockout-tagout"),
    ("jbj", "sop-shearing-machine"), ("qiping", "sop-gas-cylinders"), ("hangche", "sop-overhead-crane"),
    ("xingche", "sop-overhead-crane"), ("aqd", "sop-work-at-height"), ("sanwei", "company-three-violations-rule"),
    ("shalunji", "sop-grinder"),
]
VIOLATION_AND_ACCIDENT_TYPES = [
    ("违章指挥 叉车", "case-001-forklift-unlicensed-driver"), ("违章指挥 冲模", "case-003-die-cleaning-without-stop"),
    ("违章作业 数控", "case-013-cnc-door-open-near-miss"), ("违章作业 冲压", "case-009-press-guard-removed"),
    ("违反劳动纪律 空压站", "case-018-sleeping-on-night-shift"),
    ("违反劳动纪律 有限空间", "case-022-confined-space-attendant-left"), ("冲压一班 机械伤害", "hazards-cy1"),
    ("车辆伤害", "hazards-cw3"), ("起重伤害", "emergency-lifting"),
    ("中毒和窒息 有限空间", "emergency-confined-space"), ("其他爆炸 喷漆", "hazards-zp2"),
    ("厂内车辆致害", "hazards-cw3"), ("灼烫 焊接", "hazards-hz1"),
    ("机械致害 应急预案", "emergency-mechanical-injury"), ("机械伤害 应急", "emergency-mechanical-injury"),
    ("高处坠落 货架", "hazards-cw1"), ("容器爆炸 气瓶", "sop-gas-cylinders"), ("重大风险 有限空间", "hazards-sb2"),
    ("较大风险 叉车", "hazards-cw3"), ("部门规章 有限空间", "confined-space-rule"),
    ("行政法规 危险化学品", "hazchem-regulation"), ("企业制度 动火", "company-hot-work-rule"),
    ("已废止 6441", "gb-6441-1986"),
]
TYPING = [
    ("剪板 机", "sop-shearing-machine"), ("叉 车", "sop-forklift"), ("有限空 间", "sop-confined-space"),
    ("砂轮 机", "sop-grinder"), ("叉车 OR 铲车", "sop-forklift"), ("焊接 OR 切割", "sop-welding"),
    ("“动火作业票”", "sop-hot-work"), ("叉车，饮酒", "case-017-drunk-forklift-driver"),
]

SORTS = {"new hires": NEW_HIRES, "team leaders": TEAM_LEADERS, "safety officers": SAFETY_OFFICERS,
         "document numbers": DOCUMENT_NUMBERS, "abbreviations and pinyin": ABBREVIATIONS_AND_PINYIN,
         "violation and accident types": VIOLATION_AND_ACCIDENT_TYPES, "typing": TYPING}
QUERIES = [query for queries in SORTS.values() for query in queries]
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
ENGINES = ["whoosh", pytest.param("postgres", marks=pytest.mark.skipif(
    not PG_URL.startswith("postgresql"), reason="the PostgreSQL engine needs TEST_DATABASE_URL"))]
_tally: dict[str, list[bool]] = {}


def _database(engine_name: str, root: Path) -> str:
    return PG_URL if engine_name == "postgres" else f"sqlite:///{root}/kb.db"


@pytest.fixture(scope="module", params=ENGINES)
def shipped(request, tmp_path_factory):
    """The shipped demo organisation and content, imported and indexed once per engine."""
    root = tmp_path_factory.mktemp("relevance")
    if request.param == "postgres":
        request.getfixturevalue("database_url")  # migrated once per session
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": _database(request.param, root),
                      "INSTANCE_PATH": str(root / "instance"), "SEARCH_INDEX_DIR": str(root / "index"),
                      "SEARCH_ENGINE": request.param, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    content = Path(app.config["CONTENT_DIR"])
    with app.app_context():
        if request.param != "postgres":
            db.create_all()
        load_demo_org(content / "demo" / "org.yaml", NOW)
        import_content(content, NOW)
        db.session.commit()
        engine.rebuild()
        yield request.param
        db.session.remove()
        if request.param == "postgres":
            from tests.conftest import _truncate_all

            _truncate_all()
        db.engine.dispose()
    _report(request, request.param)


def _report(request, engine_name: str) -> None:
    results = _tally.get(engine_name, [])
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if results and reporter and capture:
        rate = sum(results) / len(results)
        with capture.global_and_fixture_disabled():  # shown even though output is captured
            reporter.write_line(f"\nsearch relevance ({engine_name}): {sum(results)}/{len(results)} queries "
                                f"find the expected document in the top 5 ({rate:.1%})")


@pytest.mark.parametrize(("text", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_expected_document_in_top_five(shipped, text, expected):
    found = [hit.document.slug for hit in engine.query(text, per_page=5).hits]
    _tally.setdefault(shipped, []).append(bool(set(expected.split("|")) & set(found)))
    assert set(expected.split("|")) & set(found), f"{text!r}: {found}"


def test_there_are_enough_queries_of_each_sort():
    assert len(QUERIES) >= 120
    assert len({text for text, _ in QUERIES}) == len(QUERIES)
    assert all(len(queries) >= 5 for queries in SORTS.values())
    assert sum(" " in text.strip() for text, _ in QUERIES) >= 40  # words not adjacent in the document
