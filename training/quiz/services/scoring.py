"""Scoring on the server: single and true/false exact; multiple all-or-nothing or partial credit."""

from __future__ import annotations

from typing import Any


def correct_ids(item: dict[str, Any]) -> set[str]:
    return {option["oid"] for option in item["options"] if option["correct"]}


def score_item(item: dict[str, Any], chosen: list[str] | None, *, partial_credit: bool) -> float:
    """Points earned on one snapshot item for the chosen option ids.

    Multiple choice with partial credit follows the usual Chinese exam rule: any wrong option
    scores 0 (错选不得分); a correct subset scores its share of the points (少选按比例得分).
    """
    chosen_set = set(chosen or ())
    right = correct_ids(item)
    points = float(item["points"])
    if chosen_set == right:
        return points
    if item["type"] != "multiple" or not partial_credit or not chosen_set or chosen_set - right:
        return 0.0
    return round(points * len(chosen_set) / len(right), 2)


def score_attempt(items: list[dict[str, Any]], answers: dict[str, list[str]], *,
                  partial_credit: bool) -> tuple[float, dict[str, float]]:
    """(total, per-item points) for saved answers; answers to items not in the snapshot are ignored."""
    per_item = {item["iid"]: score_item(item, answers.get(item["iid"]), partial_credit=partial_credit)
                for item in items}
    return round(sum(per_item.values()), 2), per_item
