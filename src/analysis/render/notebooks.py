"""The notebooks a report is rendered from: the registry of known notebooks (group, file
name, parameter object), and the parameters read from the notebook itself, from ``-p``
values and from YAML files, all checked before any kernel starts (:func:`validate`)."""

from __future__ import annotations

import ast
import difflib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis import data
from analysis.analyses import params as report_params
from analysis.analyses.params import ReportParams
from analysis.core import paths, yamlio
from analysis.core.errors import ParameterError, echo
from analysis.core.text import slug

# Set by the pipeline itself, never by the user: what to use instead.
PIPELINE_PARAMS = {"lang": "use --lang for the languages",
                   "export_dir": "the report's files go beside its page: use --output",
                   "export_href": "the page links its files itself: use --output"}


@dataclass(frozen=True)
class NotebookSpec:
    """What the pipeline knows about one notebook: its report group, the file its report
    is written to, and its parameter object (:mod:`analysis.analyses.params`), which checks
    the parameters exactly as the notebook does. What a notebook *reads* is not declared
    here: it is recorded while it runs (:mod:`analysis.data.readset`), so a notebook
    without a spec is cached just as correctly.

    ``path`` gives the report's file (without language prefix or suffix) from the
    normalised values; ``identity`` names the parameters already in that path. (The pages a
    report links to: :data:`analysis.render.jobs.LINKS`.)
    """

    name: str
    group: str  # analyses | indicators | partnerships | cities | comparisons
    path: Callable[[dict], str]
    params: type[ReportParams] | None = None
    identity: tuple[str, ...] = ()

    @property
    def accepts(self) -> dict[str, tuple[type, ...]]:
        """Types accepted beyond the default's (a city given as a code number)."""
        return self.params.accepts if self.params else {}

    def validate(self, full: dict) -> dict:
        """The full parameters (defaults overlaid by the given ones), normalised."""
        if self.params is None:
            return dict(full)
        return self.params.check(**full).values()


def _city_path(p: dict) -> str:
    name = data.municipalities().set_index("code").at[p["city"], "name_fi"]
    return f"cities/{slug(name)}-{p['city']}"


def _compare_path(p: dict) -> str:
    """``comparisons/kokkola-272--seinajoki-743--vaasa-905``: the places by code (the
    normalised order), so every spelling and order of the same places is one page."""
    names = data.municipalities().set_index("code")["name_fi"]
    return "comparisons/" + "--".join(f"{slug(names[c])}-{c}" for c in p["places"])


SPECS: dict[str, NotebookSpec] = {
    spec.name: spec for spec in [
        NotebookSpec("city_profile", "cities", _city_path, report_params.CityProfileParams,
                     identity=("city",)),
        NotebookSpec("partnership_profile", "partnerships",
                     lambda p: f"partnerships/{p['partnership']}",
                     report_params.PartnershipProfileParams, identity=("partnership",)),
        NotebookSpec("size_classes", "analyses", lambda p: "analyses/size-classes",
                     report_params.SizeClassesParams),
        NotebookSpec("partnership_network", "analyses", lambda p: "analyses/partnership-network",
                     report_params.NetworkParams),
        NotebookSpec("indicator", "indicators", lambda p: f"indicators/{p['indicator']}",
                     report_params.IndicatorParams, identity=("indicator",)),
        NotebookSpec("compare", "comparisons", _compare_path, report_params.CompareParams,
                     identity=("places",)),
    ]
}


def spec_for(notebook: Path) -> NotebookSpec:
    """The registered spec, or a generic one (any other notebook: an analysis reading all data)."""
    if notebook.stem in SPECS:
        return SPECS[notebook.stem]
    return NotebookSpec(notebook.stem, "analyses",
                        lambda p, stem=notebook.stem: f"analyses/{slug(stem)}")


def notebook_path(name: str | os.PathLike) -> Path:
    """``city_profile``, ``city_profile.ipynb`` or a path -> the notebook file."""
    path = Path(name)
    if path.suffix != ".ipynb":
        path = path.with_suffix(".ipynb")
    if not path.exists() and (paths.NOTEBOOKS_DIR / path.name).exists():
        path = paths.NOTEBOOKS_DIR / path.name
    if not path.exists():
        known = sorted(p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))
        raise ParameterError(f"no notebook {echo(str(name))}; notebooks: {', '.join(known)}")
    return path.resolve()


_DECLARED: dict[Path, dict] = {}


def declared_parameters(notebook: Path) -> dict[str, object]:
    """Name -> default value, read from the notebook's cell tagged ``parameters``.

    Read with ``json`` and ``ast`` rather than ``papermill.inspect_notebook``: importing
    papermill imports nbformat and jsonschema, whose format checkers take ~5 s to import on
    this machine, which alone would break the "nothing changed: under 3 s" target. The
    result is the same for the simple assignments a parameters cell holds (a default that
    is an expression gives ``None``: any type passes, the validator decides).
    """
    if notebook not in _DECLARED:
        try:
            cells = json.loads(notebook.read_bytes().decode("utf-8"))["cells"]
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise ParameterError(f"{notebook} is not a readable notebook (.ipynb JSON with "
                                 f"cells): {type(exc).__name__}: {str(exc)[:120]}") from None
        except OSError as exc:
            raise ParameterError(f"cannot read {notebook}: {exc.strerror or exc}") from None
        tagged = [c for c in cells if isinstance(c, dict) and "parameters" in _tags(c)]
        if not tagged:
            raise ParameterError(f"{notebook.name} has no cell tagged 'parameters'")
        source = tagged[0].get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        try:
            body = ast.parse(_without_magics(source)).body
        except SyntaxError as exc:
            raise ParameterError(f"{notebook.name}: its parameters cell is not Python (line "
                                 f"{exc.lineno}: {exc.msg})") from None
        defaults = {}
        for node in body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        try:
                            defaults[target.id] = ast.literal_eval(node.value)
                        except (ValueError, SyntaxError, TypeError):
                            defaults[target.id] = None
        _DECLARED[notebook] = defaults
    return _DECLARED[notebook]


def _tags(cell: dict) -> list:
    """A cell's tags ([] where the metadata holds none, or ``null``)."""
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    return tags if isinstance(tags, list) else []


def _without_magics(source: str) -> str:
    """The cell as Python: IPython's line magics and shell escapes (``%matplotlib inline``,
    ``!pip …``), which papermill and Jupyter run, become blank lines (line numbers kept)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.split("\n"))


def _resolve_scalar(text: str):
    """papermill's reading of a ``-p`` value (papermill.cli._resolve_type), also accepting
    the lower-case true/false/none an analyst is likely to type."""
    constants = {"true": True, "false": False, "none": None}
    if text.strip().lower() in constants:
        return constants[text.strip().lower()]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_value(text: str):
    """A ``-p`` value the way papermill reads it (True/None/int/float/str), plus YAML
    lists and mappings (``[40000, 100000]``)."""
    import yaml

    stripped = text.strip()
    if stripped.startswith(("[", "{")):
        try:
            return yaml.safe_load(stripped)
        except yaml.YAMLError as exc:
            raise ParameterError(f"cannot read {text!r}: {str(exc).splitlines()[0]}") from None
    return _resolve_scalar(text)


def _type_ok(value, default, accepted: tuple[type, ...] | None) -> bool:
    if accepted:
        return isinstance(value, accepted) and not (isinstance(value, bool) and bool not in accepted)
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


_KINDS = {type(None): "None", bool: "True or False", int: "a whole number", float: "a number",
          str: "text", list: "a list", tuple: "a list", dict: "a mapping"}


def validate(notebook: Path, params: dict) -> dict:
    """Check names, types and values; return the normalised parameters (no kernel, no file)."""
    declared = declared_parameters(notebook)
    spec = spec_for(notebook)
    for name, value in params.items():
        if name in PIPELINE_PARAMS:
            raise ParameterError(f"{name} is set by analysis render ({PIPELINE_PARAMS[name]})")
        if name not in declared:
            user = [n for n in declared if n not in PIPELINE_PARAMS]
            close = difflib.get_close_matches(name, user, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ParameterError(f"{notebook.stem} has no parameter {echo(name)}; {hint}"
                                 f"its parameters: {', '.join(user)}")
        accepted = spec.accepts.get(name)
        if not _type_ok(value, declared[name], accepted):
            kinds = accepted or (type(declared[name]),)
            wanted = " or ".join(dict.fromkeys(_KINDS.get(k, k.__name__) for k in kinds))
            raise ParameterError(
                f"{name}={echo(value)} is {_KINDS.get(type(value), type(value).__name__)}; "
                f"{notebook.stem} expects {wanted} (default {declared[name]!r})")
    # The notebook's own defaults, overlaid by the given values: the key then covers what
    # the kernel runs with, and PORI, Pori and 609 normalise to one report.
    full = {n: v for n, v in declared.items() if n not in PIPELINE_PARAMS}
    full.update(params)
    return spec.validate(full)


def load_parameters_file(path) -> dict:
    """A papermill-style YAML parameters file as a dict; one-line ParameterError otherwise
    (a syntax error, a key given twice, not a mapping). Municipality codes keep their leading
    zeros (``city: 020`` is Akaa, not the octal 16)."""
    path = Path(path)
    try:
        value = yamlio.load_file(path)
    except yamlio.YamlError as exc:
        raise ParameterError(str(exc)) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParameterError(f"{path} holds a {type(value).__name__}; a parameters file maps "
                             "names to values, e.g. 'city: Pori'")
    bad = [k for k in value if not isinstance(k, str)]
    if bad:
        raise ParameterError(f"{path}: parameter name {bad[0]!r} is not text")
    return value
