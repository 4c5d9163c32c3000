"""Fixtures of the render tests."""

from __future__ import annotations

import pytest

from analysis import render


@pytest.fixture
def no_kernel(monkeypatch):
    """Fail the test if anything tries to start a render worker."""
    def refuse(*args, **kwargs):
        raise AssertionError("a render started although the parameters were invalid")

    monkeypatch.setattr(render, "run", refuse)
