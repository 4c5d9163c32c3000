"""Fault reproductions: `analysis data refresh` against the PxWeb look-alike of
tests/pxweb_server.py (cases 7h and 8a), on scratch copies of data/.

The look-alike offers one newer period of 11re; its answer to the data query (POST) is
held back a few seconds so that a second command or a signal lands mid-refresh, while
the staging copy exists.
"""

from __future__ import annotations

import signal
import time

from faults_support import (
    assert_one_line_error,
    cli_env,
    error_lines,
    finish,
    run_cli,
    start_cli,
    tree_digest,
    wait_until,
)

STAGING = ".refresh-staging"  # README: everything is written to data/.refresh-staging/ first


def refresh_args(server, data) -> list:
    return ["data", "refresh", "--table", "11re", "--base-url", server.base_url,
            "--data-dir", data, "--timeout", "60"]


def test_case7h_second_refresh_on_a_busy_folder_is_one_line(pxweb, data_copy, tag):
    pxweb.post_delay = 6.0
    staging = data_copy / STAGING
    started = time.monotonic()
    first = start_cli(refresh_args(pxweb, data_copy), env=cli_env(tag))
    try:
        wait_until(lambda: staging.exists() or first.poll() is not None,
                   "the first refresh's staging copy")
        assert first.poll() is None, "the first refresh ended before the second started"
        second = run_cli(refresh_args(pxweb, data_copy), env=cli_env(tag))
    finally:
        first_result = finish(first, started)
    assert "Traceback" not in first_result.output and first_result.code == 0, (
        "the first refresh was disturbed by the second\n" + first_result.describe())
    assert_one_line_error(second)  # e.g. "error: another refresh is using DATA"
    assert (data_copy / "raw" / "pxweb" / "11re_2026.json").exists()
    assert not staging.exists()
    check = run_cli(["data", "check", "--data-dir", data_copy])
    assert check.code == 0, check.describe()


def test_case8a_sigterm_during_refresh_says_so_and_leaves_data_unchanged(pxweb, data_copy, tag):
    pxweb.post_delay = 6.0
    staging = data_copy / STAGING
    before = tree_digest(data_copy)
    started = time.monotonic()
    proc = start_cli(refresh_args(pxweb, data_copy), env=cli_env(tag))
    wait_until(lambda: (staging.exists() and len(pxweb.requests("POST")) > 0)
               or proc.poll() is not None, "the refresh to wait for its data")
    assert proc.poll() is None, "the refresh ended before the signal"
    proc.send_signal(signal.SIGTERM)  # what timeout, CI cancellation, systemctl stop send
    result = finish(proc, started)
    assert result.code > 0, f"killed by the signal without a word (exit {result.code}, 143 " \
        f"in a shell)\n{result.describe()}"
    assert "Traceback" not in result.output, result.describe()
    assert len(error_lines(result.stderr)) == 1, result.describe()
    assert not staging.exists(), "the staging copy was left in the data folder"
    assert tree_digest(data_copy) == before, "the data folder changed"
