"""Which code produced a page: the commit (and whether the working tree has changes), as
every report's footer and every render key show it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from analysis.core import paths

COMMIT_ENV = "ANALYSIS_RENDER_COMMIT"  # set by `analysis render` for its kernels


def git_state(root: Path = paths.PROJECT_ROOT) -> str:
    """'abc1234' or 'abc1234 + uncommitted changes' (or 'unknown' outside git). In a
    render's kernel, the state the render keyed its reports with."""
    if os.environ.get(COMMIT_ENV):
        return os.environ[COMMIT_ENV]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, text=True,
                              capture_output=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "notebooks", "data"],
                               cwd=root, text=True, capture_output=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + (" + uncommitted changes" if dirty else "")
