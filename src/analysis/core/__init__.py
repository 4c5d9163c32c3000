"""The bottom layer: what every other layer may use and which uses none of them.

- :mod:`~analysis.core.paths`   where things live (project root, data, notebooks, reports)
- :mod:`~analysis.core.errors`  the one error base class (:class:`AnalysisError`) and
  :class:`ParameterError`; the CLI turns any ``AnalysisError`` into one line
- :mod:`~analysis.core.langs`   the report languages and the one language check
- :mod:`~analysis.core.files`   digests and file hashing, atomic writes, folder locks
- :mod:`~analysis.core.text`    plain-text helpers: year runs, name folding, slugs
- :mod:`~analysis.core.yamlio`  YAML read strictly (duplicate keys refused, codes kept as text)

Standard library and PyYAML only: ``analysis render`` with nothing to do imports this
layer and nothing heavier.
"""
