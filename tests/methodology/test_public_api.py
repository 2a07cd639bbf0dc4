from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module

import egov.methodology as methodology


def test_everything_in_all_exists() -> None:
    for name in methodology.__all__:
        assert hasattr(methodology, name), name
    assert len(set(methodology.__all__)) == len(methodology.__all__)


def test_every_public_function_of_the_core_is_exported() -> None:
    exported = set(methodology.__all__)
    for module_info in pkgutil.iter_modules(methodology.__path__):
        module = import_module(f"egov.methodology.{module_info.name}")
        for name, member in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(member):
                continue
            if member.__module__ == module.__name__:
                assert name in exported, f"{module.__name__}.{name} is not in __all__"
