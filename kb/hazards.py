"""LEC risk grading (作业条件危险性评价法) for hazard lists, and their xlsx export.

D = L × E × C. The grade colours (重大/较大/一般/低 → 红/橙/黄/蓝) follow thresholds from
``app.config["LEC_THRESHOLDS"]`` (a convention that varies by enterprise); the LEC wording
(极其危险 … 稍有危险) is the method's own and fixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.models import HazardRow

# Allowed scale values (content/README.md).
L_VALUES = (0.1, 0.2, 0.5, 1, 3, 6, 10)
E_VALUES = (0.5, 1, 2, 3, 6, 10)
C_VALUES = (1, 3, 7, 15, 40, 100)
SCALES = {"L": L_VALUES, "E": E_VALUES, "C": C_VALUES}
SCALE_NAMES = {"L": "事故发生的可能性 L", "E": "暴露于危险环境的频繁程度 E", "C": "后果严重程度 C"}

# D at or above each value: red (重大), orange (较大), yellow (一般); anything below yellow is blue (低).
# The classic LEC table gives the bands as ">320, 160–320, 70–160, 20–70, <20", which leaves D = 70
# (reachable: 1 × 10 × 7) and the other boundaries ambiguous. Anzhi puts a boundary value in the
# more severe band: D ≥ 320 重大, 160 ≤ D < 320 较大, 70 ≤ D < 160 一般, D < 70 低.
DEFAULT_THRESHOLDS = {"red": 320, "orange": 160, "yellow": 70}

# The LEC method's own bands, boundaries included the same way: D ≥ 320 极其危险, ≥ 160 高度危险,
# ≥ 70 显著危险, ≥ 20 一般危险.
DANGER_TEXT = ((320, "极其危险，不能继续作业"), (160, "高度危险，需立即整改"), (70, "显著危险，需要整改"),
               (20, "一般危险，需要注意"))
SLIGHT = "稍有危险，可以接受"

# GB 6441-2025《生产安全事故分类与编码》(in force 2026-07-01; replaced GB/T 6441-1986's 20 types).
GB6441_TYPES = (
    "物体打击", "厂（场）内车辆致害", "道路（轨道）车辆致害", "机械致害", "起重致害", "触电", "淹溺", "灼烫",
    "火灾", "高处坠落", "跌落", "坍塌", "水害", "容器爆炸", "管道爆炸", "可燃气体爆炸", "可燃液体蒸汽爆炸",
    "粉尘爆炸", "民用爆炸物品爆炸", "烟花爆竹爆炸", "其他可燃固体爆炸", "高温熔融物爆炸", "中毒", "窒息",
    "滑坡", "泄漏", "其他事故",
)


@dataclass(frozen=True)
class Grade:
    key: str  # red / orange / yellow / blue
    name: str  # 重大 / 较大 / 一般 / 低
    colour: str  # 红 / 橙 / 黄 / 蓝
    rank: int  # 0 = most severe

    @property
    def label(self) -> str:
        return f"{self.name}风险（{self.colour}）"


GRADES = {
    "red": Grade("red", "重大", "红", 0),
    "orange": Grade("orange", "较大", "橙", 1),
    "yellow": Grade("yellow", "一般", "黄", 2),
    "blue": Grade("blue", "低", "蓝", 3),
}


def thresholds(config: Mapping | None = None) -> dict[str, float]:
    """The configured thresholds (``LEC_THRESHOLDS``), falling back to DOMAIN.md's defaults."""
    if config is None:
        from flask import current_app, has_app_context

        config = current_app.config if has_app_context() else {}
    return DEFAULT_THRESHOLDS | dict(config.get("LEC_THRESHOLDS") or {})


def grade_for(d: float, limits: Mapping[str, float] | None = None) -> Grade:
    """The risk grade of a danger value: reaching a threshold moves it up a grade (D = 70 is 一般)."""
    limits = limits or thresholds()
    for key in ("red", "orange", "yellow"):
        if d >= limits[key]:
            return GRADES[key]
    return GRADES["blue"]


def danger_text(d: float) -> str:
    """The LEC method's wording for a danger value (极其危险 … 稍有危险)."""
    for bound, text in DANGER_TEXT:
        if d >= bound:
            return text
    return SLIGHT


def scale_problem(letter: str, value: object) -> str | None:
    """A Chinese message if ``value`` is not an allowed L/E/C scale value, else None."""
    allowed = SCALES[letter]
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or not any(abs(number - a) < 1e-9 for a in allowed):
        shown = "、".join(f"{a:g}" for a in allowed)
        return f"{SCALE_NAMES[letter]} 的取值“{value}”无效，只能是 {shown}"
    return None


def normalise_accident_type(text: str) -> str:
    """Fold spelling variants onto GB 6441-2025's names: 其它→其他, half-width brackets, 蒸气→蒸汽."""
    text = (text or "").strip().replace("其它", "其他").replace("(", "（").replace(")", "）")
    return text.replace("蒸气", "蒸汽")


def sorted_rows(rows: Iterable[HazardRow], by_danger: bool) -> list[HazardRow]:
    """Rows in list order, or by D (highest first, then list order)."""
    rows = list(rows)
    if by_danger:
        return sorted(rows, key=lambda r: (-r.danger, r.position))
    return rows


def severe_first(rows: Iterable[HazardRow]) -> list[HazardRow]:
    """Red and orange rows first (highest D first), then the rest in list order — for 我的岗位."""
    limits = thresholds()
    rows = list(rows)
    severe = [r for r in rows if grade_for(r.danger, limits).rank <= 1]
    rest = [r for r in rows if grade_for(r.danger, limits).rank > 1]
    return sorted(severe, key=lambda r: (-r.danger, r.position)) + rest


EXPORT_HEADERS = ("序号", "作业活动/设备设施", "危险源及潜在事件", "事故类型", "L", "E", "C", "D",
                  "风险等级", "危险程度", "控制措施", "责任人")


def export_rows(rows: Iterable[HazardRow]) -> list[list[object]]:
    """The table as exported: one list per row, D and grade computed."""
    limits = thresholds()
    out = []
    for index, row in enumerate(rows, start=1):
        grade = grade_for(row.danger, limits)
        out.append([index, row.activity, row.hazard, row.accident_type, row.likelihood, row.exposure,
                    row.consequence, row.danger, grade.label, danger_text(row.danger), row.measures,
                    row.responsible])
    return out


def hazard_xlsx(title: str, rows: Iterable[HazardRow]) -> bytes:
    """An xlsx file of a hazard list (formula-like cells neutralised)."""
    from core.exports import xlsx_bytes

    return xlsx_bytes(EXPORT_HEADERS, export_rows(rows), sheet_title="危险源清单", title=title,
                      widths=(6, 24, 36, 12, 6, 6, 6, 8, 14, 18, 60, 14))
