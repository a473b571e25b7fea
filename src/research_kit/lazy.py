"""Names a package exports but imports on first use (PEP 562), for start-up time.

`research_kit` and `research_kit.reports` each list which module holds which public name; the
CLI then loads only what a command uses (`research-kit reports` with nothing changed loads
neither the analysis stack nor the notebook runner).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, modules: Mapping[str, tuple[str, ...]]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level `__getattr__` and `__dir__` of `package` for `modules` (module name →
    the names it provides); an imported name is kept in the package, so it is looked up once."""
    module_of = {name: module for module, names in modules.items() for name in names}
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *module_of})

    return __getattr__, __dir__
