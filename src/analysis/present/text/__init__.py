"""Each report's sentences, table headers and captions, in Finnish, English or Swedish; one module
per report (the analyses compute and return data only):

- :mod:`~analysis.present.text.size_classes` — ``notebooks/size_classes.ipynb``
- :mod:`~analysis.present.text.network` — ``notebooks/partnership_network.ipynb``
- :mod:`~analysis.present.text.city_profile` — ``notebooks/city_profile.ipynb``
- :mod:`~analysis.present.text.partnership_profile` — ``notebooks/partnership_profile.ipynb``
- :mod:`~analysis.present.text.peers` — the comparison sections of the three reports above
- :mod:`~analysis.present.text.trends` — where a place is heading (jobs, in-commuters, the
  monthly unemployment rate) in the profiles, the size-class report and the explorer, and
  the growth-cities release's employment claim
- :mod:`~analysis.present.text.compare` — ``notebooks/compare.ipynb`` and the explorer's comparison
- :mod:`~analysis.present.text.similar` — the city profile's similar municipalities
- :mod:`~analysis.present.text.common` — helpers the reports share
"""
