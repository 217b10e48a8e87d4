"""Shared benchmark plumbing: a throw-away instance with demo data, served by gunicorn."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


@contextmanager
def demo_server(workers: int = 4, database_url: str | None = None, setup: tuple[tuple[str, ...], ...] = ()):
    """Yield the base URL of gunicorn serving a fresh instance with the demo organisation."""
    with tempfile.TemporaryDirectory(prefix="anzhi-bench-") as instance:
        env = os.environ | {"ANZHI_INSTANCE_PATH": instance, "ANZHI_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
        if database_url:
            env["DATABASE_URL"] = database_url
        flask(env, "db", "upgrade")
        flask(env, "demo", "load")
        for command in setup:
            flask(env, *command)
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "--preload", "--workers", str(workers), "--threads", "4",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def logged_in_opener(base: str, emp_no: str, password: str = "Anzhi2026"):
    """A urllib opener holding a session cookie for this demo account."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(base + "/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "emp_no": emp_no, "password": password}).encode()
    opener.open(base + "/auth/login", data=data)
    return opener


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
