"""The report languages and the one check of a language parameter."""

from __future__ import annotations

from .errors import ParameterError, echo

LANGS = ("fi", "en", "sv")  # Finnish (default), English, Swedish
DEFAULT_LANG = "fi"


def check_lang(lang) -> str:
    """``lang`` when it is one of :data:`LANGS`, else :class:`ParameterError` (one line)."""
    if lang not in LANGS:
        raise ParameterError(f"lang={echo(lang)} is not available; use one of: {', '.join(LANGS)}")
    return lang
