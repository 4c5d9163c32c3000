"""YAML read the way this project needs it: safe, strict about duplicate keys, and with
municipality codes kept as text.

PyYAML's safe loader reads ``020`` as the octal number 16 (YAML 1.1), so ``city: 020``
(Akaa) would become Asikkala (016), and a mapping that names a key twice silently keeps the
last value. :func:`load` reads a number with a leading zero as text and refuses a key
given twice, naming it and its line. Dates stay text as written (``2023-10-09``): the
checks that need a date check it, and an impossible one (``2023-02-30``) is their one-line
message, not a ValueError from the loader.
"""

from __future__ import annotations

import re

import yaml

from .errors import AnalysisError


class YamlError(AnalysisError):
    """A YAML file that cannot be read: the message names the file, line and problem."""


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:int",
                              re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*))$"), list("-+0123456789"))


def _mapping(loader, node, deep=False):
    seen = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is given twice (lines {seen[key]} and "
                f"{key_node.start_mark.line + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load(text: str, source) -> object:
    """Parse ``text`` (read from ``source``, named in messages); :class:`YamlError` with
    one line (file, line, column, what is wrong) otherwise."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor's (``!!float x``)
        raise YamlError(f"{source}: cannot read the YAML: {' '.join(str(exc).split())}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        if "\t" in text and "tab" in str(exc).lower() or "found character '\\t'" in str(exc):
            problem = "a tab character in the indentation (YAML indents with spaces)"
        raise YamlError(f"{source}{where}: cannot read the YAML: "
                        f"{' '.join(str(problem).split())}") from None


def load_file(path) -> object:
    """:func:`load` of a UTF-8 file; unreadable or non-UTF-8 files are one-line errors."""
    from pathlib import Path

    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise YamlError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise YamlError(f"{path} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                        f"offset {exc.start}); save it as UTF-8") from None
    return load(text, path)
