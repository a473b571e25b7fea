"""The set-up files agree: lock file, environment.yml and pyproject name the same versions."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock_versions() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text("utf-8")
    return {
        _canonical(m.group(1)): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, re.M)
    }


def _environment_versions() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    assert env["channels"][0] == "conda-forge"
    versions: dict[str, str] = {}
    for dep in env["dependencies"]:
        entries = dep["pip"] if isinstance(dep, dict) else [dep]
        for entry in entries:
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*==?\s*([^\s]+)", entry)
            if match:
                versions[_canonical(match.group(1))] = match.group(2)
    return versions


def _direct_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        names.extend(extra)
    return {_canonical(re.split(r"[<>=!~\[; ]", name)[0]) for name in names}


def test_environment_yml_pins_the_lock_versions() -> None:
    lock, env = _lock_versions(), _environment_versions()
    env.pop("python")
    mismatched = {name: (version, lock.get(name)) for name, version in env.items()
                  if lock.get(name) != version}
    assert mismatched == {}


def test_every_direct_dependency_is_locked_and_in_environment_yml() -> None:
    direct = _direct_dependencies()
    assert direct - set(_lock_versions()) == set()
    assert direct - set(_environment_versions()) == set()


def test_environment_yml_uses_python_311() -> None:
    assert _environment_versions()["python"] == "3.11"


def test_lock_pins_the_build_backend_with_hashes() -> None:
    lock = (ROOT / "requirements.lock").read_text("utf-8")
    assert re.search(r"^setuptools==", lock, re.M) and "--hash=sha256:" in lock
