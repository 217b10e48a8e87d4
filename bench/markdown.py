"""Markdown rendering time for hostile and normal bodies (kb.render.render_markdown).

Usage: .venv/bin/python bench/markdown.py [--repeat 3] [--raw]
Prints seconds per body (best of ``--repeat``). ``--raw`` also times plain Python-Markdown without the
guard, once (8,000 ``[`` take seconds; ``--raw-all`` adds 20,000 and 100,000, which take minutes to
hours). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

# This file is named like the library it measures: put the checkout, not bench/, first on the path.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from kb.render import _markdown, render_markdown, sanitize  # noqa: E402

PROCEDURE_STEP = """## 第{n}步 作业前检查

1. 确认[动火作业许可证](/kb/procedures/hot-work)已审批，监护人（持证）到位。
2. 检查**可燃气体检测**结果：合格后 30 分钟内开始作业，参见[GB 30871-2022](/kb/regulations/gb-30871)。
3. 清理作业点周围 10 m 内的可燃物；不能清理的用防火毯覆盖。

| 项目 | 要求 | 负责人 |
|---|---|---|
| 气体检测 | 可燃气体浓度低于爆炸下限的 10%（LEL） | 监护人 |
| 灭火器材 | 至少 2 具 4 kg 干粉灭火器 | 作业人 |

> 注意：作业中断超过 30 分钟，须重新检测（见第二十八条）。

"""


SLOW_RAW = ("20,000 [", "100,000 [")  # unguarded: about a minute and hours; timed only with --raw-all


def bodies() -> dict[str, str]:
    normal = ""
    n = 1
    while len(normal) < 30_000:
        normal += PROCEDURE_STEP.format(n=n)
        n += 1
    return {
        "8,000 [": "[" * 8_000,
        "20,000 [": "[" * 20_000,
        "100,000 [": "[" * 100_000,
        "8,000 [[ … ]] nested": "[" * 4_000 + "]" * 4_000,
        "5,000 [a](": "[a](" * 5_000,
        "300 nested list levels": "".join("    " * i + "- 项\n" for i in range(300)),
        f"normal procedure ({len(normal) // 1000} KB)": normal,
    }


def best(render: Callable[[str], str], text: str, repeat: int) -> tuple[float, str]:
    times, outcome = [], "ok"
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            render(text)
        except RecursionError:
            outcome = "RecursionError (a 500)"
        times.append(time.perf_counter() - start)
    return min(times), outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--raw", action="store_true", help="also time Python-Markdown without the guard")
    parser.add_argument("--raw-all", action="store_true", help="with --raw, also the bodies that take minutes")
    args = parser.parse_args()
    print(f"{'body':32} {'guarded':>10}" + (f" {'unguarded':>12}" if args.raw else ""))
    for name, text in bodies().items():
        seconds, outcome = best(render_markdown, text, args.repeat)
        line = f"{name:32} {seconds:9.3f}s"
        if args.raw and name in SLOW_RAW and not args.raw_all:
            line += f" {'not run':>12} (quadratic; --raw-all to wait for it)"
        elif args.raw:
            raw_seconds, raw_outcome = best(lambda t: sanitize(_markdown().convert(t)), text, 1)
            line += f" {raw_seconds:11.3f}s {'' if raw_outcome == 'ok' else raw_outcome}"
        print(line + ("" if outcome == "ok" else f"  {outcome}"), flush=True)


if __name__ == "__main__":
    main()
