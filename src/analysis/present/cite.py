"""How to cite a page of the site: publisher, title, the data and their vintages, the
page's address within the site and the date rendered, as one sentence to copy and as
labelled fields (``templates/cite.html.j2``). Every report page carries it (the render
worker adds it), and so do the front and status pages.

    cite.block("fi", title="Vaasa: kuntaprofiili (905)", address="cities/vaasa-905.html",
               rendered="2026-06-30", tables=["population", "indicators"])

The data rows are the footer's too (:func:`data_rows`): each table read, its publishers and
vintage, from ``datapackage.json``.
"""

from __future__ import annotations

from analysis.core.text import format_years
from analysis.data.provenance import ProvenanceError, resource
from analysis.present import html
from analysis.present.i18n import fmt_date, t


def data_rows(tables) -> list[dict]:
    """For each table that is a resource of the data package: name, publishers and vintage
    (its years, else its sources' data years, each once)."""
    rows = []
    for name in tables:
        try:
            res = resource(name)
        except (KeyError, ProvenanceError):  # read, but not a resource (datapackage)
            continue
        if res.get("vintage"):  # a series given as its own text (months with a gap)
            vintage = res["vintage"]
        elif res.get("years"):
            vintage = format_years(res["years"])
        else:
            years = [str(s["data_year"]) for s in res["sources"] if s.get("data_year")]
            vintage = ", ".join(dict.fromkeys(years))
        publishers = "; ".join(sorted({s["publisher"] for s in res["sources"]}))
        rows.append({"name": name, "publishers": publishers, "vintage": vintage})
    return rows


def block(lang: str, *, title: str, address: str, rendered: str, tables) -> str:
    """The "how to cite" section (HTML, every text escaped)."""
    rows = [row for row in data_rows(tables) if row["vintage"]]
    data = "; ".join(f"{row['name']} {row['vintage']}" for row in rows)
    publisher = t("cite.publisher", lang)
    date = fmt_date(rendered[:10], lang)
    return html.render("cite.html.j2", lang=lang, publisher=publisher, title=title, data=data,
                       rows=rows, address=address, date=date,
                       text=t("cite.text", lang, publisher=publisher, title=title, data=data,
                              address=address, date=date))
