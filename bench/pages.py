"""Page throughput: logged-in employees reading pages against gunicorn on SQLite.

Usage: .venv/bin/python bench/pages.py [--seconds 15] [--clients 16] [--workers 4]
Prints requests/s and p50/p95 latency per page. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._server import demo_server, logged_in_opener, percentile  # noqa: E402

PAGES = ["/", "/kb/my-position", "/kb/procedures", "/kb/search?q=%E5%8A%A8%E7%81%AB%E4%BD%9C%E4%B8%9A",
         "/quiz/", "/training/tasks"]
SETUP = (("content", "import"), ("questions", "import"), ("search", "reindex"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with demo_server(workers=args.workers, setup=SETUP) as base:
        openers = [logged_in_opener(base, "10202") for _ in range(args.clients)]
        live = [page for page in PAGES if _status(openers[0], base + page) == 200]
        timings: dict[str, list[float]] = {page: [] for page in live}
        stop = time.perf_counter() + args.seconds
        errors = []

        def client(opener, offset: int) -> None:
            n = offset
            while time.perf_counter() < stop:
                page = live[n % len(live)]
                started = time.perf_counter()
                if _status(opener, base + page) != 200:
                    errors.append(page)
                timings[page].append(time.perf_counter() - started)
                n += 1

        threads = [threading.Thread(target=client, args=(o, i)) for i, o in enumerate(openers)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    total = sum(len(v) for v in timings.values())
    print(f"pages: {args.clients} clients, {args.workers} gunicorn workers, {elapsed:.1f} s")
    print(f"total: {total} requests, {total / elapsed:.1f} req/s, errors {len(errors)}")
    for page, values in timings.items():
        if values:
            print(f"  {urllib.parse.unquote(page):<32} n={len(values):>5}  p50 {percentile(values, .5) * 1000:6.1f} ms"
                  f"  p95 {percentile(values, .95) * 1000:6.1f} ms")


def _status(opener, url: str) -> int:
    try:
        with opener.open(url, timeout=30) as response:
            response.read()
            return response.status
    except Exception as error:  # an HTTP error counts as a failed request
        return getattr(error, "code", 0)


if __name__ == "__main__":
    main()
