"""Shared helpers of the fault reproductions (tests/faults/); fixtures are in conftest.py.

Every test drives the tool from outside, through the ``analysis`` console script in a
subprocess (never its internal functions: the package is being reorganised), on scratch
copies made with shutil. Processes a test starts carry a tag in their environment so that
the test can find (and, at the end, kill by pid) exactly its own workers and kernels.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout under test
SRC = ROOT / "src"
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
ANALYSIS = Path(sys.executable).with_name("analysis")  # the console script of this venv
TAG_VAR = "FAULTS_TEST_TAG"
ERROR_CODE = 2  # the tool's exit code for a one-line error

if str(ROOT / "tests" / "ingest") not in sys.path:  # the PxWeb look-alike
    sys.path.insert(0, str(ROOT / "tests" / "ingest"))


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def describe(self) -> str:
        return (f"exit {self.code} after {self.seconds:.1f} s\n--- stdout (end)\n"
                f"{self.stdout[-1500:]}\n--- stderr (end)\n{self.stderr[-3000:]}")


def cannot_run_here(reason: str):
    """A fault that needs root (a mount) and cannot be made on this machine: skipped on a
    developer's machine, but a failure under CI (``CI`` set, as ``.ci/run`` does), where a
    skipped test would check nothing."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run this test")
    pytest.skip(reason)


def cli_env(tag: str | None = None, **extra: str | os.PathLike) -> dict[str, str]:
    """The environment of a CLI subprocess: this checkout's src/ first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC)] + [p for p in [env.get("PYTHONPATH")] if p])
    env.setdefault("MPLBACKEND", "Agg")
    if tag:
        env[TAG_VAR] = tag
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_cli(args, env: dict | None = None, cwd=None, timeout: float = 300) -> Result:
    """Run ``analysis ARGS`` to its end; exit code, stdout, stderr, seconds."""
    started = time.monotonic()
    proc = subprocess.run([str(ANALYSIS), *map(str, args)], env=env or cli_env(), cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL)
    return Result(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)


def start_cli(args, env: dict | None = None, cwd=None) -> subprocess.Popen:
    """Start ``analysis ARGS`` in a session of its own (a signal reaches it alone)."""
    return subprocess.Popen([str(ANALYSIS), *map(str, args)], env=env or cli_env(), cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def finish(proc: subprocess.Popen, started: float, timeout: float = 300) -> Result:
    stdout, stderr = proc.communicate(timeout=timeout)
    return Result(proc.returncode, stdout, stderr, time.monotonic() - started)


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]


def nonblank_lines(text: str) -> list[str]:
    return [line for line in text.replace("\r", "\n").splitlines() if line.strip()]


def assert_one_line_error(result: Result, code: int = ERROR_CODE) -> str:
    """Exit ``code``, no traceback, and stderr is exactly one line starting ``error:``."""
    assert "Traceback" not in result.output, result.describe()
    assert result.code == code, result.describe()
    lines = nonblank_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error:"), result.describe()
    return lines[0]


def tree_digest(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """relative path -> sha256 (or 'dir') of everything under ``folder``."""
    out = {}
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if any(rel == s or rel.startswith(s + "/") for s in skip):
            continue
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


def tagged(tag: str) -> list[int]:
    """Pids of the processes whose environment carries ``tag`` (render, workers, kernels)."""
    found = []
    needle = f"{TAG_VAR}={tag}".encode()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if needle in (proc / "environ").read_bytes().split(b"\0"):
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def wait_until(condition, what: str, limit: float = 180.0, step: float = 0.02) -> None:
    """Poll for an outcome (a safety limit, not a timing assertion)."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"still waiting for: {what}")
        time.sleep(step)


