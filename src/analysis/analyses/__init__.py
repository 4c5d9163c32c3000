"""The analyses: data in, data out (codes and numbers; words are the presentation's).

- :mod:`~analysis.analyses.params`     one parameter object per report
- :mod:`~analysis.analyses.sizeclass`  population size classes: any bounds, any year
- :mod:`~analysis.analyses.claims`     published claims checked against the data
- :mod:`~analysis.analyses.network`    the city–partnership graph, projections, coverage
- :mod:`~analysis.analyses.profiles`   city and partnership profiles
- :mod:`~analysis.analyses.peers`      comparisons with size-class peers and Finland, ranks
- :mod:`~analysis.analyses.indicators` one indicator across the country (the indicator pages)
- :mod:`~analysis.analyses.trends`     where each place is heading: jobs since 1987, in-commuters,
  the monthly unemployment rate, against the size class and Finland
- :mod:`~analysis.analyses.similar`    similar municipalities: measures, scores, nearest neighbours
- :mod:`~analysis.analyses.compare`    2 to 10 places side by side: values, ranks, histories
"""
