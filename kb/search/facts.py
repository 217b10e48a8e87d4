"""A document's structured facts as searchable words, weighted above its body text.

Violation type, accident types (GB 6441-2025's names plus the GB 6441-1986 names people still
type), the risk grades present in a hazard list, a regulation's level and validity, positions and
equipment. Repealed or superseded documents stay findable but rank lower (``DEMOTE``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kb.hazards import grade_for, thresholds

# GB 6441-1986 type → the GB 6441-2025 types it became (kb content: gb-6441-2025 "主要变化").
OLD_ACCIDENT_TYPES: dict[str, tuple[str, ...]] = {
    "车辆伤害": ("厂（场）内车辆致害", "道路（轨道）车辆致害"),
    "机械伤害": ("机械致害",),
    "起重伤害": ("起重致害",),
    "中毒和窒息": ("中毒", "窒息"),
    "其他爆炸": ("可燃气体爆炸", "可燃液体蒸汽爆炸", "粉尘爆炸", "其他可燃固体爆炸", "高温熔融物爆炸"),
    "其他伤害": ("其他事故",),
    "锅炉爆炸": ("容器爆炸",),
    "瓦斯爆炸": ("可燃气体爆炸",),
    "火药爆炸": ("民用爆炸物品爆炸",),
    "放炮": ("民用爆炸物品爆炸",),
    "冒顶片帮": ("坍塌",),
    "透水": ("水害",),
}
# How people write the bracketed names without brackets.
PLAIN_NAMES = {"厂（场）内车辆致害": ("厂内车辆致害", "场内车辆致害", "厂内车辆"),
               "道路（轨道）车辆致害": ("道路车辆致害", "轨道车辆致害")}
DEMOTED_VALIDITIES = frozenset({"已废止", "已修订"})
DEMOTE = 0.5
KIND_WORDS = {"regulation": "法律法规 法规 标准", "procedure": "岗位安全操作规程 操作规程 规程",
              "case": "三违案例 案例 事故案例", "hazard_list": "危险源辨识清单 危险源 风险清单",
              "emergency_plan": "应急预案 应急处置"}
_FACT_KEYS = ("violation_type", "level", "validity", "issuer")


def accident_variants(term: str) -> list[str]:
    """GB 6441-2025's names for a 1986 name typed in a query (机械伤害 → 机械致害)."""
    new = OLD_ACCIDENT_TYPES.get(term, ())
    return [plain for name in new for plain in (name, *PLAIN_NAMES.get(name, ()))]


def accident_words(accident_type: str) -> list[str]:
    """An accident type with its bracket-free spellings (a 1986 name in a query becomes these)."""
    if not accident_type:
        return []
    return [accident_type, *PLAIN_NAMES.get(accident_type, ())]


def _listed(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _listed(item)


def _row_facts(rows) -> list[str]:
    limits = thresholds()
    words: list[str] = []
    for row in rows:
        words += accident_words(row.accident_type)
        grade = grade_for(row.danger, limits)
        words += [f"{grade.name}风险", f"{grade.colour}色风险"]
    return words


def facts_text(document, fields: dict[str, Any], rows) -> str:
    """The words standing for the document's structured fields, each once."""
    words: list[str] = [KIND_WORDS.get(document.kind, "")]
    words += [str(fields.get(key) or "") for key in _FACT_KEYS]
    words += [document.violation_type or "", document.validity or ""]
    words += accident_words(str(fields.get("accident_type") or ""))
    words += list(_listed(fields.get("equipment")))
    words += [p.name for p in document.positions]
    words += _row_facts(rows)
    if (document.validity or fields.get("validity")) == "现行":
        words.append("现行有效")
    return " ".join(dict.fromkeys(w for w in words if w))


def is_demoted(document, fields: dict[str, Any]) -> bool:
    return (document.validity or fields.get("validity") or "") in DEMOTED_VALIDITIES
