"""The package's structure, as a newcomer relies on it: every module imports first in a
fresh interpreter (no import cycle can bite an analyst's first import), the layers contract
holds (import-linter), no module grows past one concern's size, and the code passes ruff."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.core import paths

SRC = paths.PACKAGE_DIR.parent
MODULES = sorted(
    ".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
    for p in paths.PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts
    and p.name != "__main__.py")
MAX_LINES = 600


def test_every_module_is_listed():
    assert {"analysis.names", "analysis.tables", "analysis.data", "analysis.render.worker",
            "analysis.cli"} <= set(MODULES)


def test_each_module_imports_first_in_a_fresh_interpreter():
    """One interpreter per module (in a handful of processes: each child imports its module
    first, in a subprocess of its own), so an import cycle that only bites when a module
    is imported first cannot hide behind the order the suite happens to use."""
    code = ("import subprocess, sys\n"
            "bad = []\n"
            "for name in sys.argv[1:]:\n"
            "    r = subprocess.run([sys.executable, '-c', f'import {name}'], capture_output=True,"
            " text=True)\n"
            "    if r.returncode:\n"
            "        bad.append(name + ': ' + (r.stderr.strip().splitlines() or ['?'])[-1])\n"
            "print('\\n'.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code, *MODULES], capture_output=True, text=True,
                         check=True, timeout=900)
    assert out.stdout.strip() == "", out.stdout


@pytest.mark.parametrize("statement", [
    "from analysis.names import resolve; assert resolve('Vasa').code == '905'",
    "import analysis; assert analysis.names.resolve('Vasa').code == '905'",
    "import analysis; assert len(analysis.tables.municipalities()) == analysis.data.load()"
    ".municipalities.shape[0]",
    "from analysis.data import population; assert population()['year'].min() > 1900",
])
def test_an_analysts_first_import_works(statement):
    subprocess.run([sys.executable, "-c", statement], check=True, timeout=120)


def test_no_import_cycle_counting_imports_inside_functions():
    """The import graph read from the code (every import statement, inside functions too)
    has no strongly connected component of more than one module."""
    import networkx as nx

    graph = nx.DiGraph()
    for name in MODULES:
        path = _path_of(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph.add_node(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node, package):
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target)
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles == []


def _path_of(name: str) -> Path:
    base = SRC.joinpath(*name.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def _targets(node, package: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.startswith("analysis")]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1])
            module = f"{base}.{node.module}" if node.module else base
        else:
            module = node.module or ""
        if not module.startswith("analysis"):
            return []
        return [f"{module}.{a.name}" if f"{module}.{a.name}" in MODULES else module
                for a in node.names]
    return []


def test_layers_contract_holds():
    """import-linter's contracts in pyproject.toml: the layers, the analysts' doors, no
    figures below the presentation, the no-change path on the standard library."""
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))],
                            cwd=paths.PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "4 kept, 0 broken" in result.stdout


def test_no_module_is_much_over_600_lines():
    sizes = {name: len(_path_of(name).read_text(encoding="utf-8").splitlines())
             for name in MODULES}
    assert {n: s for n, s in sizes.items() if s > MAX_LINES} == {}


def test_ruff_finds_nothing():
    result = subprocess.run([str(Path(sys.executable).with_name("ruff")), "check", "src", "tests",
                             "benchmarks", "notebooks"], cwd=paths.PROJECT_ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]


def test_layers_are_folders_a_newcomer_can_read():
    layers = sorted(p.name for p in paths.PACKAGE_DIR.iterdir()
                    if p.is_dir() and (p / "__init__.py").exists())
    assert layers == ["analyses", "cli", "core", "data", "ingest", "present", "render"]
    loose = sorted(p.name for p in paths.PACKAGE_DIR.glob("*.py"))
    assert loose == ["__init__.py", "names.py", "tables.py"]  # the analysts' doors
