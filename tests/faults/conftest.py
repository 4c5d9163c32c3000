"""Fixtures of the fault reproductions (tests/faults/); helpers are in faults_support.py."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
import uuid
from pathlib import Path

import pytest
from faults_support import DATA, NOTEBOOKS, tagged


@pytest.fixture
def tag():
    """A tag for the processes this test starts; whatever is left at the end is killed."""
    value = uuid.uuid4().hex
    yield value
    for pid in tagged(value):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A scratch copy of the checkout's data/ (raw/ and curated/ included)."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, symlinks=True,
                    ignore=shutil.ignore_patterns(".refresh-staging", ".refresh-backup"))
    return target


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A scratch project (notebooks/ and data/) for ANALYSIS_PROJECT_ROOT."""
    target = tmp_path / "project"
    target.mkdir()
    shutil.copytree(NOTEBOOKS, target / "notebooks")
    shutil.copytree(DATA, target / "data", symlinks=True,
                    ignore=shutil.ignore_patterns(".refresh-staging", ".refresh-backup"))
    return target


@pytest.fixture
def no_sources(tmp_path) -> Path:
    """A sources folder that does not exist: the build skips the evidence check, so the
    data cases do not depend on ../shared/sources."""
    return tmp_path / "no-sources"


@pytest.fixture
def pxweb():
    """The PxWeb look-alike of tests/pxweb_server.py, with one newer period of 11re whose
    POST answer can be slowed down (``server.post_delay`` seconds)."""
    from pxweb_server import FakePxWeb

    server = FakePxWeb(timeout_sleep=1.0)
    server.add_period("11re", "2026", "2025")
    server.post_delay = 0.0
    answer = server.answer

    def slow_answer(table_id, body):
        time.sleep(server.post_delay)
        return answer(table_id, body)

    server.answer = slow_answer  # the handler calls server.answer(tid, body)
    server.start()
    yield server
    server.stop()
