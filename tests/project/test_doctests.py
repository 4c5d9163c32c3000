"""The examples in the analyst-facing docstrings run against the committed data: each
docstring is one test, so a failing example names its function."""

import doctest
import importlib

import pytest

MODULES = ["analysis.tables", "analysis.names"]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _examples():
    finder = doctest.DocTestFinder(exclude_empty=True)
    for name in MODULES:
        for test in finder.find(importlib.import_module(name)):
            if not test.examples:  # a docstring without examples
                continue
            yield pytest.param(test, id=test.name)


EXAMPLES = list(_examples())


def test_every_accessor_has_examples():
    from analysis import tables

    documented = {p.values[0].name.rsplit(".", 1)[-1] for p in EXAMPLES}
    for accessor in ("population", "jobs", "indicators", "memberships", "classes",
                     "network_nodes", "network_edges", "municipalities"):
        assert callable(getattr(tables, accessor)) and accessor in documented


@pytest.mark.parametrize("test", EXAMPLES)
def test_docstring_examples(test):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    result = runner.run(test, out=lambda text: pytest.fail(text, pytrace=False))
    assert result.failed == 0 and result.attempted > 0
