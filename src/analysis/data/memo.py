"""Results computed once per process and data snapshot that still note their reads.

A report's read set (:mod:`analysis.data.readset`) must not depend on what an earlier
report in the same warm kernel computed: a cached result replays the reads its first
computation noted.
"""

from __future__ import annotations

import functools

from analysis.data import readset
from analysis.data.snapshot import snapshot_token


def remembered(fn):
    """Compute ``fn(*args)`` once per data snapshot and arguments in this process, and let
    every later call note the reads the first one noted: a report's read set must not
    depend on what an earlier report in the same kernel computed. For the functions every
    profile calls with the same arguments (each city's peer comparison needs every
    municipality's values, the same for all of them). Results are returned as copies."""
    cache: dict = {}

    @functools.wraps(fn)
    def wrapper(*args):
        if readset.nested():  # its reads would not be noted, so not recorded: no caching
            return fn(*args)
        key = (snapshot_token(), args)
        if key not in cache:
            with readset.recording() as reads:
                result = fn(*args)
            if len(cache) >= 16:
                cache.clear()
            cache[key] = (result, frozenset(reads))
        result, reads = cache[key]
        readset.replay(reads)
        return result.copy()

    wrapper.cache_clear = cache.clear
    return wrapper
