"""environment.yml and pyproject.toml list the same packages."""

import re
import tomllib

import yaml

from analysis.core import paths


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_matches_pyproject():
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for group in project["optional-dependencies"].values() for r in group}
    env = yaml.safe_load((paths.PROJECT_ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    listed |= {_name(d) for group in env["dependencies"] if isinstance(group, dict)
               for d in group.get("pip", [])}  # packages conda-forge does not have
    assert listed == wanted, (f"only in environment.yml: {listed - wanted}; "
                              f"only in pyproject: {wanted - listed}")
