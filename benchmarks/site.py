"""What the site's pages cost (issue 23), in one run on one machine:

(g) ``analysis render --force`` of the default set (fi, en): wall time, and per kind of page
    (analyses, indicators, partnerships, cities) the pages, the worker seconds per page
    (execution and export, from the manifest) and the bytes per page (its HTML and its
    figure and table files);
(h) the front and status pages: seconds to write them in every language (in process,
    after a run) and their bytes;
(j) ``analysis render`` again, nothing changed (fi, en);
(i) ``analysis render --lang sv --force`` of the default set: Swedish as a third language,
    wall time and bytes against one language of (g).

With ``--compare REV`` (g) is also measured for the code of git revision ``REV`` in the same
run (as ``benchmarks/render.py --compare`` does): what the existing pages cost before, per
kind, against now (alt texts, figure data files, the cite block).

    python benchmarks/site.py [--jobs N] [--compare REV]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.render import index
from analysis.render.manifest import read_manifest

BIN = Path(sys.executable).parent


def _run(cmd: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}")
    return time.perf_counter() - started, result.stdout


def _old_tree(rev: str, tmp: Path) -> dict:
    """The environment that runs the code of ``rev`` on its own data (a snapshot's schema
    changes with the code): src/, notebooks/ and data/ from git archive."""
    from analysis.core import paths

    root = tmp / "old"
    root.mkdir()
    archive = subprocess.run(["git", "archive", rev, "src", "notebooks", "data"],
                             cwd=paths.PROJECT_ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    return {**os.environ, "PYTHONPATH": str(root / "src"), "ANALYSIS_PROJECT_ROOT": str(root)}


def _bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _figures_dir(rel: str, lang: str) -> str:
    stem = rel.removeprefix(f"{lang}/") if lang != "fi" else rel
    stem = stem.removesuffix(".html")
    return f"figures/{stem}" if lang == "fi" else f"figures/{lang}/{stem}"


def per_kind(output: Path, langs: set[str]) -> dict[str, dict]:
    """kind -> pages, worker seconds and bytes (HTML + files) of the reports in ``langs``."""
    manifest = read_manifest(output)
    kinds: dict[str, dict] = {}
    for rel, entry in manifest["reports"].items():
        if entry["lang"] not in langs or entry.get("status") != "ok":
            continue
        row = kinds.setdefault(entry["group"], {"pages": 0, "seconds": 0.0, "bytes": 0})
        row["pages"] += 1
        row["seconds"] += float(entry.get("seconds") or 0)
        row["bytes"] += _bytes(output / rel) + _bytes(output / _figures_dir(rel, entry["lang"]))
    return kinds


def _print_kinds(title: str, kinds: dict[str, dict]) -> None:
    print(title)
    print(f"  {'kind':<14} {'pages':>6} {'s/page':>8} {'KB/page':>9} {'total s':>8} {'total MB':>9}")
    for kind, row in sorted(kinds.items()):
        n = row["pages"]
        print(f"  {kind:<14} {n:>6} {row['seconds'] / n:>8.2f} {row['bytes'] / n / 1024:>9.0f} "
              f"{row['seconds']:>8.1f} {row['bytes'] / 2**20:>9.1f}")
    n = sum(r["pages"] for r in kinds.values())
    print(f"  {'all':<14} {n:>6} {sum(r['seconds'] for r in kinds.values()) / n:>8.2f} "
          f"{sum(r['bytes'] for r in kinds.values()) / n / 1024:>9.0f} "
          f"{sum(r['seconds'] for r in kinds.values()):>8.1f} "
          f"{sum(r['bytes'] for r in kinds.values()) / 2**20:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=None, help="render workers")
    parser.add_argument("--keep", metavar="DIR", default="", help="render into DIR and keep it")
    parser.add_argument("--compare", metavar="REV", default="",
                        help="also render the default set with the code of git revision REV")
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        out = Path(args.keep) if args.keep else Path(tmp) / "reports"
        cmd = [str(BIN / "analysis"), "render", "--output", str(out), *jobs]
        print("(g) analysis render --force, default set, fi and en", flush=True)
        g_seconds, g_out = _run(cmd + ["--force"])
        g_kinds = per_kind(out, {"fi", "en"})
        if args.compare:
            old_out = Path(tmp) / "old-reports"
            print(f"(g) analysis render --force, default set, code of {args.compare}", flush=True)
            started = time.perf_counter()
            result = subprocess.run([str(BIN / "analysis"), "render", "--output", str(old_out),
                                     *jobs, "--force"], capture_output=True, text=True,
                                    env=_old_tree(args.compare, Path(tmp)))  # its data too
            old_seconds = time.perf_counter() - started
            if result.returncode != 0:
                sys.exit(f"old render failed\n{result.stderr[-1500:]}")
            old_kinds = per_kind(old_out, {"fi", "en"})

        manifest = read_manifest(out)
        started = time.perf_counter()
        written = index.write(out, manifest)
        h_seconds = time.perf_counter() - started
        h_bytes = {p.relative_to(out).as_posix(): p.stat().st_size for p in written}

        print("(j) analysis render, nothing changed (fi, en)", flush=True)
        j_seconds, j_out = _run(cmd)

        # After (j): Swedish pages on disk change the fi and en pages' language links.
        print("(i) analysis render --force --lang sv, default set", flush=True)
        i_seconds, _ = _run(cmd + ["--force", "--lang", "sv"])
        i_kinds = per_kind(out, {"sv"})
        one_lang = per_kind(out, {"fi"})

    print()
    print(f"machine: {os.cpu_count()} cores; workers {args.jobs or 'default'}")
    print(f"(g) default set, fi and en: {g_seconds:.1f} s wall for "
          f"{sum(r['pages'] for r in g_kinds.values())} pages; {g_out.strip().splitlines()[-1]}")
    _print_kinds("    per kind (worker seconds per page: notebook executed and exported)", g_kinds)
    if args.compare:
        print(f"(g) code of {args.compare}: {old_seconds:.1f} s wall for "
              f"{sum(r['pages'] for r in old_kinds.values())} pages")
        _print_kinds(f"    per kind, code of {args.compare}", old_kinds)
    print(f"(h) front and status pages, {len(written)} files written in {h_seconds:.2f} s:")
    for rel, size in h_bytes.items():
        print(f"      {rel:<18} {size / 1024:7.1f} KB")
    fi_pages = sum(r["pages"] for r in one_lang.values())
    fi_bytes = sum(r["bytes"] for r in one_lang.values())
    sv_pages = sum(r["pages"] for r in i_kinds.values())
    sv_bytes = sum(r["bytes"] for r in i_kinds.values())
    print(f"(i) Swedish, default set: {i_seconds:.1f} s wall for {sv_pages} pages, "
          f"{sv_bytes / 2**20:.1f} MB (Finnish: {fi_pages} pages, {fi_bytes / 2**20:.1f} MB); "
          f"fi and en took {g_seconds:.1f} s")
    _print_kinds("    per kind, sv", i_kinds)
    print(f"(j) nothing changed: {j_seconds:.2f} s; {j_out.strip().splitlines()[-1]}")
    print(json.dumps({"g_seconds": g_seconds, "h_seconds": h_seconds, "i_seconds": i_seconds,
                      "j_seconds": j_seconds, "g": g_kinds, "i": i_kinds, "h": h_bytes}))


if __name__ == "__main__":
    main()
