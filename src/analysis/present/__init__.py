"""The presentation layer: what the analyses compute, in words, numbers and figures.

- :mod:`~analysis.present.i18n`      the translation table (``translations/``: fi, en, sv) and
  number formats
- :mod:`~analysis.present.style`     the house style of figures
- :mod:`~analysis.present.report`    what a notebook shows: Markdown, figures, tables, footer
- :mod:`~analysis.present.exports`   table files for office suites (CSV, XLSX)
- :mod:`~analysis.present.png`       the fast PNG writer
- :mod:`~analysis.present.text`      each report's sentences and tables, one module per report
- :mod:`~analysis.present.figures`   the figures, one module per topic
- :mod:`~analysis.present.explore`   the widgets and views of ``notebooks/explore.ipynb``
- :mod:`~analysis.present.findings`  README's findings block, computed
- :mod:`~analysis.present.cite`      how to cite a page (publisher, title, data vintages, address)
"""
