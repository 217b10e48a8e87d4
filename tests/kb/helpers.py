"""Valid raw fields per kind, for tests that create documents through the services."""

from kb.services.publishing import DocumentInput


def procedure_input(position_code: str, title: str = "冲压工安全操作规程", **extra) -> DocumentInput:
    raw = {"positions": [position_code], "equipment": ["开式压力机"], "ppe": ["护目镜", "劳保鞋"],
           "before_work": ["检查光电保护"], "during_work": ["严禁手伸入模区"], "after_work": ["切断电源"],
           "prohibitions": ["严禁连续行程手工送料"], "emergency": ["立即按下急停"]} | extra
    return DocumentInput(title=title, body_md="## 适用范围\n\n冲压岗位。", raw_fields=raw)


def hazard_input(team_code: str, rows=None, title: str = "冲压班危险源清单") -> DocumentInput:
    rows = rows or [
        {"activity": "送料", "hazard": "压手", "accident_type": "机械致害", "L": 3, "E": 6, "C": 7,
         "measures": "光电保护", "responsible": "班组长"},
        {"activity": "吊模", "hazard": "吊物坠落", "accident_type": "起重致害", "L": 3, "E": 6, "C": 40,
         "measures": "检查吊具", "responsible": "司索工"},
        {"activity": "清扫", "hazard": "滑倒", "accident_type": "其它事故", "L": 1, "E": 6, "C": 1,
         "measures": "及时清理油污", "responsible": "操作工"},
    ]
    return DocumentInput(title=title, raw_fields={"team": team_code, "area": "A 线", "rows": rows})
