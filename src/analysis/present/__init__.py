"""The presentation layer: each report's sentences, table headers and formatting, figure
captions and profile figures, in Finnish or English. The analysis modules
(:mod:`analysis.sizeclass`, :mod:`analysis.network`, :mod:`analysis.profiles`,
:mod:`analysis.peers`) compute and return data only; one module here per report:

- :mod:`analysis.present.size_classes` — ``notebooks/size_classes.ipynb``
- :mod:`analysis.present.network` — ``notebooks/partnership_network.ipynb``
- :mod:`analysis.present.city_profile` — ``notebooks/city_profile.ipynb``
- :mod:`analysis.present.partnership_profile` — ``notebooks/partnership_profile.ipynb``
- :mod:`analysis.present.peers` — the comparison sections of the three reports above
- :mod:`analysis.present.common` — helpers the reports share
"""
