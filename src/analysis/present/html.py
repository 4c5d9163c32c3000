"""HTML the tool writes itself (a report's footer, the navigation between pages, the index
pages) goes through Jinja2 templates in ``templates/`` with autoescaping on: every text
inserted is escaped, every word comes from the translation table (``t`` is a template
global), and no markup is assembled in Python strings.

    html.render("footer.html.j2", lang="fi", tables=[...], ...)
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from analysis.present.i18n import t

TEMPLATES = Path(__file__).with_name("templates")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["t"] = t
    return env


def render(template: str, **context) -> Markup:
    """The template filled with ``context`` (every value escaped unless marked safe). The
    result is marked safe: a block rendered here can be put into another page as it is."""
    return Markup(environment().get_template(template).render(**context))
