"""Search benchmark (not a test): N synthetic Chinese safety documents in a throw-away instance.

Reports full reindex time, publish-to-searchable latency, query latency p50/p95 with snippets
over the queries below, and the same queries against SQLite FTS5 (trigram) in the same run, with
the ratio of the two p95s.

    .venv/bin/python bench/search.py                       # 10,000 documents, Whoosh on SQLite
    .venv/bin/python bench/search.py --docs 1000
    .venv/bin/python bench/search.py --engine postgres     # PostgreSQL engine; --pg-url names a database
                                                           # it may wipe (default: anzhi_search_bench)
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

# The project first, and not bench/ itself: bench/markdown.py would shadow Python-Markdown.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

EQUIPMENT = ["叉车", "桥式起重机", "压力机", "剪板机", "数控机床", "砂轮机", "空气压缩机", "电焊机", "气瓶",
             "配电箱", "输送线", "喷漆室", "烘干室", "储气罐", "手持电动工具", "升降平台", "角磨机", "行车",
             "液压机", "污水池"]
HAZARDS = ["机械伤害", "触电", "高处坠落", "物体打击", "起重伤害", "火灾", "容器爆炸", "中毒和窒息", "灼烫", "车辆伤害"]
WORK = ["动火作业", "有限空间作业", "高处作业", "临时用电", "吊装作业", "设备检修", "上锁挂牌", "能量隔离", "换模",
        "清理废料"]
PPE = ["安全帽", "安全带", "绝缘手套", "护目镜", "防尘口罩", "耳塞", "劳保鞋", "防毒面具", "焊接面罩", "防割手套"]
ACTS = ["作业前应检查", "严禁擅自拆除", "必须办理作业票并落实", "应由专人监护", "发现异常立即停机并报告",
        "交接班时确认", "定期检验并记录", "不得超载使用", "进入现场必须佩戴", "作业结束后清理现场并恢复"]
PLACES = ["冲压车间", "焊装车间", "涂装车间", "总装车间", "化学品仓库", "空压站", "机加工车间", "配电室", "成品库",
          "污水站"]
REGS = ["GB 30871-2022", "GB 6067.1-2010", "GB/T 33000-2016", "GB 2894-2008", "GB 39800.1-2020", "AQ/T 9006-2010",
        "应急管理部令第13号", "国务院令第591号"]
KINDS = ["procedure", "procedure", "case", "regulation", "hazard_list"]

QUERIES = ["叉车", "动火作业", "有限空间", "安全带", "上锁挂牌", "触电", "起重机 钢丝绳", "压力机 光电保护",
           "气瓶 存放", "砂轮机 防护罩", "GB 30871-2022", "30871", "LOTO", "SDS", "dhzy", "yxkj", "受限空间",
           "热工作业", "危险化学品 仓库", "配电箱 漏电", "喷漆室 静电", "高处坠落", "检修 误启动", "数控机床"]


FILLER = ["班组长每班检查落实情况并做好记录。", "新员工须经三级安全教育考核合格后上岗。",
          "发现隐患及时上报，按规定整改闭环。", "作业区域保持通道畅通，物料定置摆放。",
          "定期组织应急演练，熟悉应急处置流程。", "严格执行交接班制度，交清设备状况。"]


def sentence(rng: random.Random, topic: dict[str, list[str]]) -> str:
    if rng.random() < 0.3:
        return rng.choice(FILLER)
    pick = {key: rng.choice(values) for key, values in topic.items()}
    return (f"{pick['place']}{pick['equipment']}{rng.choice(ACTS)}{pick['ppe']}，防止{pick['hazard']}；"
            f"{pick['work']}按{pick['reg']}执行。")


def make_text(rng: random.Random, n: int) -> tuple[str, str, str]:
    """A document about one topic: a few pieces of equipment, work types, hazards (as real ones are)."""
    topic = {"equipment": rng.sample(EQUIPMENT, 2), "work": rng.sample(WORK, 2), "hazard": rng.sample(HAZARDS, 2),
             "ppe": rng.sample(PPE, 3), "place": rng.sample(PLACES, 1), "reg": rng.sample(REGS, 1)}
    title = f"{topic['place'][0]}{topic['equipment'][0]}{topic['work'][0]}安全操作规程（{n}）"
    extra = rng.choice(["作业前执行 LOTO。", "查阅 SDS 后领用。", "", "", "", "", "", ""])
    body = "\n".join(sentence(rng, topic) for _ in range(rng.randint(12, 30))) + extra
    return title, body, topic["reg"][0] if rng.random() < 0.3 else ""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def seed(app, count: int, rng: random.Random) -> list[tuple[str, str]]:
    from core.extensions import db
    from kb.models import Document, Revision
    from org.models import Department

    department = Department(code="BENCH", name="基准部门")
    db.session.add(department)
    db.session.flush()
    texts = []
    for n in range(count):
        title, body, number = make_text(rng, n)
        document = Document(kind=rng.choice(KINDS), slug=f"bench-{n}", title=title, owner_department=department,
                            doc_number=number or None, validity="现行", tags=[])
        revision = Revision(document=document, number=1, title=title, body_md=body, status="published",
                            published_at=datetime.now(UTC), fields={})
        db.session.add_all([document, revision])
        if n % 500 == 499:
            db.session.flush()
        texts.append((title, body))
    db.session.flush()
    for document in db.session.scalars(db.select(Document)):
        document.published_revision_id = document.revisions[0].id
    db.session.commit()
    return texts


def bench_engine(app, texts) -> dict:
    from core.extensions import db
    from kb.models import Document, Revision
    from kb.search import engine
    from kb.services.publishing import make_published

    started = time.perf_counter()
    engine.rebuild(progress_bar())
    figures = {"reindex_s": time.perf_counter() - started}
    # Publish-to-searchable: commit a new revision, then search until it is found.
    latencies = []
    department_id = db.session.scalar(db.select(Document.owner_department_id).limit(1))
    for n in range(10):
        word = f"BENCHWORD{n}X"
        document = Document(kind="procedure", slug=f"fresh-{n}", title=f"新发布规程{n}",
                            owner_department_id=department_id)
        revision = Revision(document=document, number=1, title=document.title, body_md=f"新规程正文 {word}")
        db.session.add_all([document, revision])
        db.session.flush()
        started = time.perf_counter()
        make_published(revision, None, datetime.now(UTC))
        db.session.commit()
        while not engine.query(word).hits:
            time.sleep(0.005)
        latencies.append(time.perf_counter() - started)
    figures["publish_to_searchable_ms"] = (percentile(latencies, 0.5) * 1000, percentile(latencies, 0.95) * 1000)
    for query in QUERIES:  # warm up: jieba, the searcher, caches
        engine.query(query)
    timings, totals = [], {}
    for _round in range(3):
        for query in QUERIES:
            started = time.perf_counter()
            page = engine.query(query)
            timings.append((time.perf_counter() - started) * 1000)
            assert all(str(hit.snippet) for hit in page.hits)
            totals[query] = page.total
    figures["query_ms"] = (percentile(timings, 0.5), percentile(timings, 0.95), max(timings))
    figures["totals"] = totals
    return figures


def progress_bar():
    """The reindex's own progress callback, drawn on stderr as `flask search reindex` does."""
    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r重建索引 [{'#' * filled}{'-' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def open_database(engine_name: str, pg_url: str, workdir: Path) -> str:
    """The database URL for this run: a fresh SQLite file, or the named PostgreSQL database wiped."""
    if engine_name != "postgres":
        return f"sqlite:///{workdir}/bench.db"
    from sqlalchemy import create_engine, text

    wipe = create_engine(pg_url)
    with wipe.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    wipe.dispose()
    return pg_url


def bench_fts5(texts, path: Path) -> dict:
    connection = sqlite3.connect(path)
    started = time.perf_counter()
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='trigram')")
    connection.executemany("INSERT INTO docs(title, body) VALUES (?, ?)", texts)
    connection.commit()
    build = time.perf_counter() - started
    timings = []
    for _round in range(3):
        for query in QUERIES:
            terms = query.split()
            clauses = " AND ".join('"' + t.replace('"', "") + '"' for t in terms if len(t) >= 3)
            likes = [t for t in terms if len(t) < 3]
            sql = "SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 20) FROM docs WHERE 1"
            args: list[str] = []
            if clauses:
                sql += " AND docs MATCH ?"
                args.append(clauses)
            for term in likes:  # trigram cannot MATCH 1–2 character terms: LIKE (still index-assisted only ≥ 3)
                sql += " AND (title LIKE ? OR body LIKE ?)"
                args += [f"%{term}%", f"%{term}%"]
            sql += (" ORDER BY bm25(docs)" if clauses else "") + " LIMIT 10"
            started = time.perf_counter()
            connection.execute(sql, args).fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    connection.close()
    return {"build_s": build, "query_ms": (percentile(timings, 0.5), percentile(timings, 0.95), max(timings))}


def report(name: str, figures: dict, fts: dict, docs: int, texts) -> None:
    print(f"documents: {docs} ({sum(len(b) for _t, b in texts) / len(texts):.0f} characters per body)")
    print(f"{name} full reindex: {figures['reindex_s']:.1f} s")
    print("{} publish→searchable: p50 {:.0f} ms, p95 {:.0f} ms".format(name, *figures["publish_to_searchable_ms"]))
    print("{} query + snippets ({} queries × 3, engine.query incl. DB check): p50 {:.1f} ms, p95 {:.1f} ms, "
          "max {:.1f} ms".format(name, len(QUERIES), *figures["query_ms"]))
    print(f"fts5 trigram build: {fts['build_s']:.1f} s")
    print("fts5 trigram query + snippet: p50 {:.1f} ms, p95 {:.1f} ms, max {:.1f} ms".format(*fts["query_ms"]))
    print(f"ratio {name}/fts5: p50 {figures['query_ms'][0] / fts['query_ms'][0]:.1f}×, "
          f"p95 {figures['query_ms'][1] / fts['query_ms'][1]:.1f}×")
    print("matches per query: " + ", ".join(f"{q}={n}" for q, n in figures["totals"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engine", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/anzhi_search_bench")
    args = parser.parse_args()
    from core.app import create_app
    from core.extensions import db

    workdir = Path(tempfile.mkdtemp(prefix="anzhi-bench-search-"))
    app = create_app({"DATABASE_URL": open_database(args.engine, args.pg_url, workdir), "SECRET_KEY": "bench",
                      "INSTANCE_PATH": str(workdir / "instance"), "SEARCH_INDEX_DIR": str(workdir / "index"),
                      "SEARCH_ENGINE": args.engine})
    with app.app_context():
        if args.engine == "postgres":
            from flask_migrate import upgrade

            upgrade()  # the production schema, GIN index included
        else:
            db.create_all()
        started = time.perf_counter()
        texts = seed(app, args.docs, random.Random(args.seed))
        print(f"seeded in {time.perf_counter() - started:.1f} s")
        figures = bench_engine(app, texts)
    fts = bench_fts5(texts, workdir / "fts5.db")
    report(args.engine, figures, fts, args.docs, texts)
    print(f"(work directory {workdir})")


if __name__ == "__main__":
    main()
