"""Digests, atomic writes and folder locks: the one home of file hashing in the project.

Digests are sha256 in hex everywhere. The Data Package descriptor writes them with the
``sha256:`` prefix that Frictionless uses (:func:`frictionless_hash`); everything else
(raw sidecars, render keys, the no-change fingerprint) uses the plain hex digest.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import uuid
from pathlib import Path

from analysis.core.errors import AnalysisError

CHUNK = 1 << 20
MISSING = "-"  # the digest of a file that does not exist


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """:func:`sha256_file`, or :data:`MISSING` when there is no such file."""
    path = Path(path)
    return sha256_file(path) if path.is_file() else MISSING


def frictionless_hash(path: Path) -> str:
    """The ``hash`` of a Data Package resource: ``sha256:<hex>``."""
    return "sha256:" + sha256_file(path)


def digest_json(value) -> str:
    """Hex sha256 of ``value`` as canonical JSON (keys sorted; other objects as str)."""
    return sha256_bytes(json.dumps(value, sort_keys=True, default=str).encode())


def update_tree(digest, folder: Path, pattern: str = "*", skip=()) -> None:
    """Feed every file under ``folder`` matching ``pattern`` (relative name and content
    digest, in sorted order) into the hash object ``digest``; names in ``skip`` and
    ``__pycache__`` folders and hidden files (locks, staging) are left out."""
    folder = Path(folder)
    for path in sorted(folder.rglob(pattern)) if folder.is_dir() else []:
        parts = path.relative_to(folder).parts
        if path.is_file() and "__pycache__" not in parts and not set(parts) & set(skip) \
                and path.suffix != ".pyc" and not any(p.startswith(".") for p in parts):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(bytes.fromhex(sha256_file(path)))


def tree_digest(folder: Path, pattern: str = "*", skip=()) -> str:
    """Hex sha256 of a folder's files (see :func:`update_tree`)."""
    digest = hashlib.sha256()
    update_tree(digest, folder, pattern, skip)
    return digest.hexdigest()


def temporary_name(path: Path) -> Path:
    """A hidden temporary file beside ``path`` (``.name.<hex>.tmp``): renamed over ``path``
    when complete, so a reader never sees half a file."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write a temporary file in the same folder, then rename it over ``path``. A failure
    (a full disk, an interrupt) leaves ``path`` as it was and no temporary file behind; an
    OSError names ``path``, not the temporary file the user never saw."""
    path = Path(path)
    tmp = temporary_name(path)
    try:
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class FolderBusy(AnalysisError):
    """Another process holds the folder's lock (a render, a refresh)."""


def lock(folder: Path, name: str | None, who: str, wait: bool = False,
         waiting=None) -> FolderLock:
    """Hold the lock ``name`` in ``folder`` (the folder itself when ``name`` is None: no file
    is left in it), waiting for it with ``wait``, or :class:`FolderBusy` saying ``who``
    holds it; release it with ``close()`` (or use it as a context manager). ``waiting``
    (a function of one line) is told once when ``wait`` has to wait: a wait of minutes
    without a word looks like a hang."""
    held = FolderLock(folder, name)
    if held.acquire(False):
        return held
    if not wait:
        raise FolderBusy(f"another {who} is writing into {folder}; wait for it to finish"
                         + (" (or use --wait)" if who == "analysis render" else ""))
    if waiting is not None:
        waiting(f"waiting for another {who} to finish with {folder}")
    held.acquire(True)
    return held


class FolderLock:
    """An exclusive lock on a folder through ``fcntl.flock``, on a lock file inside it or on
    the folder itself (released by the operating system when the process dies, SIGKILL
    included). ``acquire(wait=False)`` returns False when another process holds it."""

    def __init__(self, folder: Path, name: str | None):
        self.path = Path(folder) / name if name else Path(folder)
        self.fd: int | None = None

    def acquire(self, wait: bool = False) -> bool:
        if self.path.is_dir():
            fd = os.open(self.path, os.O_RDONLY)
        else:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    # the lock as a handle with close(), as callers held it before
    close = release

    def __enter__(self) -> FolderLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
