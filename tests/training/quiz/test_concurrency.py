"""50 examinees submit at the same instant (each twice) against a real gunicorn on SQLite.

How fast is bench/submit.py's business; this test only counts what was recorded.
"""

import socket

import pytest

pytestmark = pytest.mark.slow


def test_every_submission_is_recorded_exactly_once(tmp_path):
    from bench.submit import prepare, run_examinees, start_server, stop_server, verify

    with socket.socket() as probe:  # a free port, so a busy 5115 cannot fail the run
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url, instance = f"sqlite:///{tmp_path}/concurrency.db", str(tmp_path / "instance")
    exam_id = prepare(url, instance, 50)
    server = start_server(url, instance, port, workers=2, threads=4)
    try:
        people, _autosaves, _elapsed, _killed = run_examinees(f"http://127.0.0.1:{port}", exam_id,
                                                     [f"B{n:05d}" for n in range(50)], submits_each=2, autosaves=3)
    finally:
        stop_server(server)
    counts = verify(url, instance, people, exam_id)
    assert [e for p in people for e in p.errors] == []
    assert all(p.submit_ok == 2 for p in people)  # both clicks land on the one result page
    assert counts == {"lost": 0, "doubled": 0, "answers_lost": 0, "open": 0}


def test_a_worker_killed_as_examinees_submit_loses_nothing_when_they_retry_like_the_page(tmp_path):
    from bench.submit import prepare, run_examinees, start_server, stop_server, verify

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url, instance = f"sqlite:///{tmp_path}/killed.db", str(tmp_path / "instance")
    exam_id = prepare(url, instance, 40)
    server = start_server(url, instance, port, workers=2, threads=4)
    try:
        people, _autosaves, _elapsed, killed = run_examinees(
            f"http://127.0.0.1:{port}", exam_id, [f"B{n:05d}" for n in range(40)], autosaves=3,
            kill_after=0.02, master=server.pid)
    finally:
        stop_server(server)
    counts = verify(url, instance, people, exam_id)
    assert len(killed) == 1
    assert [e for p in people for e in p.errors] == [] and all(p.submit_ok == 1 for p in people)
    assert counts == {"lost": 0, "doubled": 0, "answers_lost": 0, "open": 0}
