"""The explorer of ``notebooks/explore.ipynb``: a year, class bounds, cities or all
municipalities, a partnership to highlight, a municipality and several municipalities to
compare, chosen with ipywidgets, and the views that follow from them.

    ui = Explorer(year=None, bounds=[40000, 100000], cities_only=True,
                  highlight="growth-cities", city="Seinäjoki",
                  places="Seinäjoki, Vasa, 272", lang="fi")
    ui.show()           # controls, then the views; they redraw when a control changes
    ui.members()        # the class members as a numeric DataFrame, for work by hand
    ui.comparison()     # the places side by side: every measure, value and ranks

The views are displayed as ordinary outputs with a display id and replaced in place
(``DisplayHandle.update``) when a control changes. So the same cell shows static output
where there is no widget front end (papermill, nbconvert, a file share), and in JupyterLab
the controls redraw it. The figures are those of the size-class report
(:mod:`analysis.present.figures.sizeclass`), for the chosen municipality its population and
the trends of the city profile (:mod:`analysis.present.text.trends`: jobs and in-commuters
since 1987, the unemployment rate every month against its size class), and the comparison
report's (:mod:`analysis.present.figures.compare`, :mod:`analysis.present.text.compare`: the
same comparison as ``notebooks/compare.ipynb``); the tables are plain numbers with a display
format. A change of the places (or the year) redraws the comparison; the other controls
redraw the rest.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

import pandas as pd

from analysis import data
from analysis.analyses import sizeclass
from analysis.core.errors import ParameterError
from analysis.data.checks import check_municipality, check_year
from analysis.data.names import partnership_name
from analysis.present.i18n import (
    bounds_label,
    class_label,
    fmt_date,
    fmt_int,
    fmt_signed,
    fmt_signed_pct,
    t,
)

SCREEN_DPI = 110  # the inline size of a matplotlib figure


@dataclass(frozen=True)
class Selection:
    """A validated choice of the explorer's controls."""

    year: int
    bounds: tuple[int, ...]
    cities_only: bool
    highlight: str | None  # partnership id
    city: str  # municipality code
    lang: str = "fi"
    places: tuple[str, ...] = ()  # municipality codes to compare (2 to 10), sorted


DEFAULT_PLACES = "Seinäjoki, Vasa, 272"


def check_selection(year=None, bounds=sizeclass.MID_SIZE_BOUNDS, cities_only=True,
                    highlight="", city="Seinäjoki", lang="fi",
                    places=DEFAULT_PLACES) -> Selection:
    """Every control's value checked; :class:`ParameterError` (one line) otherwise."""
    from analysis.analyses.compare import check_places
    from analysis.core.langs import check_lang

    return Selection(year=check_year(year), bounds=sizeclass.check_bounds(bounds),
                     cities_only=sizeclass.check_cities_only(cities_only),
                     highlight=sizeclass.check_highlight(highlight),
                     city=check_municipality(city).code, lang=check_lang(lang),
                     places=tuple(check_places(places)))


# ------------------------------------------------------------------------ the views
SORT_KEYS = ("population", "change_5y_pct", "change_10y_pct", "jobs", "name")


def _headers(sel: Selection) -> dict[str, str]:
    from analysis.present.text.size_classes import member_headers

    return {"code": t("col.code", sel.lang), **member_headers(sel.year, sel.lang)}


def _sort_labels(lang: str) -> list[str]:
    """Labels of :data:`SORT_KEYS` without a year (the year changes, the choice stays)."""
    return [t("col.population", lang), t("size.col.change_pct", lang, span=5),
            t("size.col.change_pct", lang, span=10), t("col.jobs", lang),
            t("col.municipality", lang)]


def members(sel: Selection, sort: str = "population", descending: bool = True) -> pd.DataFrame:
    """The class members, numbers as numbers (shares as fractions), headers in ``sel.lang``
    that give the year; ``sort`` one of :data:`SORT_KEYS`."""
    if sort not in SORT_KEYS:
        raise ParameterError(f"sort={sort!r}; use one of: {', '.join(SORT_KEYS)}")
    frame = sizeclass.member_table(sel.year, sel.bounds, sel.cities_only)
    lang = sel.lang
    names = {pid: partnership_name(pid, lang) for pid in data.partnerships()["partnership_id"]}
    frame = frame.assign(name=frame[f"name_{lang}"], region=frame[f"region_{lang}"],
                         partnerships=[", ".join(names[p] for p in ps) or "–"
                                       for ps in frame["partnerships"]])
    frame = frame.sort_values([sort, "code"], ascending=[not descending, True])
    headers = _headers(sel)
    return frame[list(headers)].rename(columns=headers).reset_index(drop=True)


def _styled(frame: pd.DataFrame):
    """A Styler without the index; text reads from the left, numbers from the right
    (nbconvert's CSS right-aligns every cell)."""
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    return frame.style.hide(axis="index").set_properties(
        subset=text, **{"text-align": "left"}).set_table_styles(
        {c: [{"selector": "th", "props": [("text-align", "left")]}] for c in text},
        overwrite=False)


def members_view(sel: Selection, sort: str = "population", descending: bool = True):
    """:func:`members` as a Styler: formatted the ``sel.lang`` way, the data stay numeric."""
    frame = members(sel, sort, descending)
    h, lang = _headers(sel), sel.lang
    formats = {h["population"]: lambda v: fmt_int(v, lang), h["jobs"]: lambda v: fmt_int(v, lang)}
    for key in ("change_5y", "change_10y"):
        formats[h[key]] = lambda v: fmt_signed(v, lang)
        formats[h[f"{key}_pct"]] = lambda v: fmt_signed_pct(v, lang)
    styler = _styled(frame).format(formats)
    if sel.highlight:
        ids = data.memberships()
        codes = set(ids.loc[ids["partnership_id"] == sel.highlight, "code"])
        marked = frame[h["code"]].isin(codes)
        styler = styler.apply(lambda col: ["font-weight: bold" if m else "" for m in marked],
                              subset=[h["name"]])
    return styler


def summary(sel: Selection) -> str:
    """One Markdown line: the selection and the size of the class."""
    from analysis.data.names import display_name

    frame = sizeclass.members(sel.year, sel.bounds, sel.cities_only)
    lang = sel.lang
    highlight = (data.partnerships().set_index("partnership_id").at[sel.highlight, f"name_{lang}"]
                 if sel.highlight else "–")
    scope = t("size.scope.cities" if sel.cities_only else "size.scope.municipalities", lang)
    return t("explore.summary", lang, year=sel.year,
             bounds=bounds_label(sel.bounds, lang), scope=scope, n=len(frame),
             residents=fmt_int(int(frame["population"].sum()), lang), highlight=highlight,
             city=f"{display_name(sel.city, lang)} ({sel.city})")


def city_partnerships(sel: Selection) -> pd.DataFrame:
    """The municipality's partnerships: name, role, status, since, number of members."""
    from analysis.core.text import slug

    ms = data.memberships()
    size = ms.groupby("partnership_id")["code"].count()
    own = ms[ms["code"] == sel.city]
    lang = sel.lang
    return pd.DataFrame({
        t("col.partnership", lang): [partnership_name(p, lang, "full") for p in own["partnership_id"]],
        t("col.role", lang): [t(f"role.{r}", lang) for r in own["role"]],
        t("col.status", lang): [t(f"partner.status.{slug(s)}", lang) for s in own["status"]],
        t("explore.col.since", lang): [fmt_date(d, lang) if isinstance(d, str) else "–"
                                        for d in own["status_date"]],
        t("size.col.municipalities", lang): own["partnership_id"].map(size).astype("int64"),
    }).reset_index(drop=True)


def city_figure(sel: Selection):
    """The municipality's population over every year held, the selected class shaded."""
    from analysis.data.names import display_name
    from analysis.present import style

    wide = sizeclass.population_wide()
    series = wide.loc[sel.city].dropna()
    name = display_name(sel.city, sel.lang)
    fig, ax = style.figure(height=3.2)
    colors = style.class_colors(sel.bounds)  # a class has one colour in every figure
    top = max(series.max() * 1.1, min(sel.bounds[-1], series.max() * 1.6))
    for color, lo, hi in zip(colors, sel.bounds, sel.bounds[1:]):
        if lo < top:
            ax.axhspan(lo, min(hi, top), color=color, alpha=0.25, lw=0,
                       label=t("explore.fig.band", sel.lang,
                               bounds=class_label(lo, hi, sel.lang)))
    ax.plot(series.index, series.values, color=style.OKABE_ITO["blue"], lw=2, label=name)
    ax.plot([sel.year], [series[sel.year]], "o", color=style.HIGHLIGHT, ms=6, zorder=5)
    ax.set_ylim(0, top)
    ax.yaxis.set_major_formatter(lambda v, _: fmt_int(v, sel.lang))
    ax.legend(loc="lower left", fontsize=7)
    years = [int(y) for y in series.index]
    first, last = series.iloc[0], series.iloc[-1]
    alt = t("alt.city.population", sel.lang, name=name, first=years[0], last=years[-1],
            start=fmt_int(first, sel.lang), end=fmt_int(last, sel.lang),
            change=fmt_signed_pct((last - first) / first, sel.lang),
            peak=fmt_int(series.max(), sel.lang), peak_year=int(series.idxmax()),
            size_class=bounds_label(sel.bounds, sel.lang))
    style.finish(fig, ax, title=t("explore.fig.city", sel.lang, name=name, first=years[0],
                                  last=years[-1]),
                 xlabel=t("axis.year", sel.lang), ylabel=t("axis.population", sel.lang),
                 source=style.source_text(sel.lang, t("source.population_years", sel.lang,
                                                      years=f"{years[0]}–{years[-1]}")),
                 alt=alt, data=pd.DataFrame({"year": years, "population": series.to_numpy()}))
    return fig


def image(fig):
    """A figure as a PNG image output (shown whatever matplotlib backend the kernel has),
    with the figure's alt text, the figure closed so that it is not drawn a second time."""
    import matplotlib.pyplot as plt
    from IPython.display import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=SCREEN_DPI, bbox_inches="tight")
    alt = getattr(fig, "_analysis_alt", None) or getattr(fig, "_analysis_title", None)
    plt.close(fig)
    return Image(data=buffer.getvalue(), format="png", alt=alt)


def _with_texts(frame: pd.DataFrame, formatters: dict):
    """:func:`_styled` with the columns whose formatter is a list of texts (one per row, as
    :meth:`analysis.present.report.Report.table` takes them) shown as those texts."""
    shown = frame.copy()
    for column, texts in formatters.items():
        if isinstance(texts, list):
            shown[column] = texts
    return _styled(shown).format({c: f for c, f in formatters.items() if callable(f)})


def comparison(sel: Selection) -> pd.DataFrame:
    """The places side by side as numbers (:func:`analysis.analyses.compare.side_by_side`)."""
    from analysis.analyses import compare

    return compare.side_by_side(sel.places, sel.year)


def compare_views(sel: Selection) -> dict:
    """The comparison of ``sel.places``, as ``notebooks/compare.ipynb`` shows it: who they
    are and a map, the indicators side by side, their ranks, their histories."""
    from IPython.display import Markdown

    from analysis.analyses import compare
    from analysis.present.figures import compare as plots
    from analysis.present.text import compare as text
    from analysis.present.text.common import names_list

    lang = sel.lang
    pl = compare.places(sel.places, sel.year)
    sbs = comparison(sel)
    hist = compare.histories(sel.places)
    values, formats = text.values_table(sbs, pl, lang)
    return {
        "compare_heading": Markdown(t("explore.h.compare", lang,
                                      places=names_list(text.names(pl, lang), lang))),
        "compare_places": _with_texts(text.places_table(pl, lang),
                                      text.places_formatters(pl, lang)),
        "compare_map": image(plots.map_figure(pl, lang)),
        "compare_highlights": Markdown(text.highlights(sbs, pl, lang)),
        "compare_values": _with_texts(values, formats).set_caption(text.values_caption(sbs, lang)),
        "compare_ranks": image(plots.ranks_figure(sbs, pl, lang)),
        "compare_rank_table": _styled(text.ranks_table(sbs, pl, lang)).set_caption(
            text.ranks_caption(pl, lang)),
        "compare_population": image(plots.population_figure(hist["population"], pl, lang)),
        "compare_jobs": image(plots.jobs_figure(hist["jobs"], pl, lang)),
        "compare_unemployment": image(plots.unemployment_figure(hist["unemployment"], pl, lang)),
    }


def views(sel: Selection, sort: str = "population", descending: bool = True) -> dict:
    """Everything the explorer shows above the comparison, in order: name -> displayable
    object (the comparison: :func:`compare_views`)."""
    from IPython.display import Markdown

    from analysis.data.names import display_name
    from analysis.present.figures import sizeclass as plots
    from analysis.present.text import trends as trends_view

    partnerships = city_partnerships(sel)
    name = display_name(sel.city, sel.lang)
    return {
        "summary": Markdown(summary(sel)),
        "members_heading": Markdown(t("explore.h.members", sel.lang)),
        "members": members_view(sel, sort, descending),
        "distribution": image(plots.distribution(sel.year, sel.bounds, sel.cities_only,
                                                 sel.lang, sel.highlight)),
        "history": image(plots.history_heatmap(sel.bounds, sel.cities_only, sel.lang,
                                               sel.highlight)),
        "city_heading": Markdown(t("explore.h.city", sel.lang, name=name, code=sel.city)),
        "city_population": image(city_figure(sel)),
        "city_partnerships": (_styled(partnerships) if len(partnerships)
                              else Markdown(t("explore.city.none", sel.lang, name=name))),
        "city_trends": Markdown(trends_view.city_text(sel.city, sel.year, sel.lang)),
        "city_trends_figure": image(trends_view.city_figure(sel.city, sel.year, sel.lang)),
    }


# ------------------------------------------------------------------------ the widgets
class Explorer:
    """Controls and views bound together (see the module docstring)."""

    def __init__(self, year=None, bounds=sizeclass.MID_SIZE_BOUNDS, cities_only=True,
                 highlight="", city="Seinäjoki", lang="fi", places=DEFAULT_PLACES):
        self.selection = check_selection(year, bounds, cities_only, highlight, city, lang,
                                         places)
        self.sort, self.descending = "population", True
        self._handles: dict = {}
        self._status = None
        self.controls = self._build_controls()

    # the current selection, for the cells below the explorer
    year = property(lambda self: self.selection.year)
    bounds = property(lambda self: list(self.selection.bounds))
    cities_only = property(lambda self: self.selection.cities_only)
    highlight = property(lambda self: self.selection.highlight or "")
    city = property(lambda self: self.selection.city)
    places = property(lambda self: list(self.selection.places))

    def members(self) -> pd.DataFrame:
        """The class members shown, as a numeric DataFrame."""
        return members(self.selection, self.sort, self.descending)

    def comparison(self) -> pd.DataFrame:
        """The places compared, every measure: value, ranks among all and in the class."""
        return comparison(self.selection)

    def _build_controls(self):
        import ipywidgets as w

        sel, lang = self.selection, self.selection.lang
        munis = data.municipalities().sort_values(f"name_{lang}")
        parts = data.partnerships()
        wide = {"description_width": "initial"}
        self.w_year = w.SelectionSlider(options=data.population_years(), value=sel.year,
                                        description=t("explore.w.year", lang),
                                        continuous_update=False, style=wide,
                                        layout=w.Layout(width="420px"))
        self.w_bounds = w.Text(value=", ".join(str(b) for b in sel.bounds),
                               description=t("explore.w.bounds", lang), continuous_update=False,
                               placeholder=t("explore.w.bounds_hint", lang), style=wide)
        self.w_cities = w.Checkbox(value=sel.cities_only, indent=False,
                                   description=t("explore.w.cities_only", lang))
        self.w_highlight = w.Dropdown(
            options=[(t("explore.w.no_highlight", lang), "")]
            + list(zip(parts[f"name_{lang}"], parts["partnership_id"])),
            value=sel.highlight or "", description=t("explore.w.highlight", lang), style=wide)
        self.w_city = w.Combobox(options=list(munis[f"name_{lang}"]), ensure_option=False,
                                 value=munis.set_index("code").at[sel.city, f"name_{lang}"],
                                 description=t("explore.w.city", lang), continuous_update=False,
                                 style=wide)
        self.w_sort = w.Dropdown(options=list(zip(_sort_labels(lang), SORT_KEYS)),
                                 value=self.sort, description=t("explore.w.sort", lang), style=wide)
        self.w_descending = w.Checkbox(value=True, indent=False,
                                       description=t("explore.w.descending", lang))
        names = munis.set_index("code")[f"name_{lang}"]
        self.w_places = w.TagsInput(value=[names[c] for c in sel.places],
                                    allowed_tags=[], allow_duplicates=False,
                                    placeholder=t("explore.w.places_hint", lang))
        self._status = w.HTML()
        for control in (self.w_year, self.w_bounds, self.w_cities, self.w_highlight, self.w_city,
                        self.w_sort, self.w_descending, self.w_places):
            control.observe(self._changed, names="value")
        return w.VBox([w.HBox([self.w_year, self.w_bounds, self.w_cities]),
                       w.HBox([self.w_highlight, self.w_city]),
                       w.HBox([self.w_sort, self.w_descending]),
                       w.HBox([w.Label(t("explore.w.places", lang)), self.w_places]),
                       self._status])

    def _read_controls(self) -> Selection:
        return check_selection(self.w_year.value, self.w_bounds.value, self.w_cities.value,
                               self.w_highlight.value, self.w_city.value, self.selection.lang,
                               list(self.w_places.value))

    def _changed(self, _change=None) -> None:
        import html

        try:
            selection = self._read_controls()
        except ParameterError as exc:  # keep the last good views; say what is wrong
            self._status.value = ('<span style="color:#B00020">'
                                  + html.escape(t("explore.error", self.selection.lang,
                                                  message=exc)) + "</span>")
            return
        self._status.value = ""
        before, order = self.selection, (self.sort, self.descending)
        self.selection = selection
        self.sort, self.descending = self.w_sort.value, self.w_descending.value
        compared = (selection.places, selection.year) != (before.places, before.year)
        rest = (replace(selection, places=()) != replace(before, places=())
                or (self.sort, self.descending) != order)
        self.redraw(main=rest, compared=compared)

    def redraw(self, main: bool = True, compared: bool = True) -> None:
        """Replace the views in place (or show them, the first time): ``main`` those of the
        class and the municipality, ``compared`` the comparison of the places."""
        from IPython.display import display

        shown = {**(views(self.selection, self.sort, self.descending) if main else {}),
                 **(compare_views(self.selection) if compared else {})}
        for name, view in shown.items():
            if name in self._handles:
                self._handles[name].update(view)
            else:
                self._handles[name] = display(view, display_id=True)

    def show(self) -> None:
        """The controls, then the views. Without a widget front end the controls show as
        one line of text and the views as static output of the default selection."""
        from IPython.display import display

        display(self.controls)
        self.redraw()
