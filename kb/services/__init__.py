"""Knowledge-base operations: drafting and publishing (publishing.py), reading and 已阅读确认 (reading.py)."""
