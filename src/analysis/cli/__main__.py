"""``python -m analysis.cli``: the ``analysis`` command."""

from analysis.cli import main

main()
