"""Safety synonyms (有限空间/受限空间 …): the default list, editing as text, and query expansion."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import delete, select

from core.exceptions import DomainError
from core.extensions import db
from kb.search.models import SearchSetting, SearchSynonym

DEFAULT_GROUPS = [
    "有限空间 / 受限空间 / 密闭空间",
    "动火 / 热工作业 / 明火作业",
    "动火作业 / 热工作业 / 动火作业票",
    "危化品 / 危险化学品 / 危险品",
    "上锁挂牌 / LOTO / 能量隔离",
    "安全技术说明书 / SDS / MSDS / 化学品安全技术说明书",
    "叉车 / 铲车 / 场内机动车辆",
    "行车 / 桥式起重机 / 天车 / 桥吊",
    "高处作业 / 登高作业 / 高空作业",
    "安全带 / 安全绳 / 坠落防护",
    "劳保用品 / 劳动防护用品 / 个体防护装备 / PPE",
    "三违 / 违章指挥 / 违章作业 / 违反劳动纪律",
    "电焊 / 焊接 / 焊工",
    "临时用电 / 临时电 / 临电",
    "中毒窒息 / 中毒和窒息 / 缺氧",
    "空压机 / 空气压缩机",
    "冲床 / 压力机 / 冲压",
]
SEEDED = "synonyms_seeded"
_SPLIT = re.compile(r"\s*[/／,，、;；|]\s*")
MAX_WORD = 40


def ensure_defaults() -> None:
    """Load the default list the first time synonyms are used (never again, even if emptied)."""
    if db.session.get(SearchSetting, SEEDED) is not None:
        return
    for number, line in enumerate(DEFAULT_GROUPS):
        db.session.add(SearchSynonym(terms=line, position=number))
    db.session.add(SearchSetting(key=SEEDED, value="1"))
    db.session.commit()


def synonym_groups() -> list[list[str]]:
    ensure_defaults()
    rows = db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.position, SearchSynonym.id))
    return [row.words for row in rows if len(row.words) > 1]


def groups_as_text() -> str:
    return "\n".join(" / ".join(group) for group in synonym_groups())


def parse_groups(text: str) -> list[list[str]]:
    """One group per line, words separated by / , 、 or ；. Raise DomainError naming the bad line."""
    groups = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = list(dict.fromkeys(w.strip() for w in _SPLIT.split(line.strip()) if w.strip()))
        if len(words) < 2:
            raise DomainError(f"第 {number} 行：一组同义词至少要有两个词，用“/”分隔。")
        too_long = next((w for w in words if len(w) > MAX_WORD), None)
        if too_long:
            raise DomainError(f"第 {number} 行：“{too_long[:10]}…”太长（每个词不超过 {MAX_WORD} 个字）。")
        groups.append(words)
    return groups


def replace_groups(text: str, actor, now: datetime) -> int:
    """Replace the whole synonym list with the groups in ``text``; flushes, caller commits."""
    groups = parse_groups(text)
    ensure_defaults()
    db.session.execute(delete(SearchSynonym))
    for number, words in enumerate(groups):
        db.session.add(SearchSynonym(terms=" / ".join(words), position=number, updated_at=now,
                                     updated_by_id=actor.id if actor else None))
    db.session.flush()
    return len(groups)


def expand(term: str, groups: list[list[str]]) -> list[str]:
    """The term and its variants: each group word found in it replaced by the other words."""
    variants = [term]
    folded = term.lower()
    for group in groups:
        for word in group:
            if word.lower() in folded:
                for other in group:
                    variant = re.sub(re.escape(word), other, term, flags=re.IGNORECASE)
                    if variant not in variants:
                        variants.append(variant)
    return variants[:12]
