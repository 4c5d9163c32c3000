"""Resolve a municipality from any of its names (Finnish, Swedish, English), its code, or a
former municipality merged into it: the analyst's door to :mod:`analysis.data.names`.

    >>> resolve("seinajoki").code
    '743'
    >>> resolve("Vasa").name_fi
    'Vaasa'
"""

from analysis.core.text import fold, normalise, slug  # noqa: F401
from analysis.data.names import (  # noqa: F401
                                 Municipality,
                                 NameIndex,
                                 UnknownMunicipalityError,
                                 display_name,
                                 former_municipalities,
                                 name_column,
                                 partnership_name,
                                 resolve,
                                 suggest,
)

__all__ = ["Municipality", "NameIndex", "UnknownMunicipalityError", "display_name", "fold",
           "former_municipalities", "name_column", "normalise", "partnership_name", "resolve",
           "slug", "suggest"]
