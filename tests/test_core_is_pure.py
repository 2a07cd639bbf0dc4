"""The core and the data layer import without Django (STYLE §1)."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_without_django() -> None:
    src = "import sys, egov.methodology, egov.data, egov.frameworks\nprint('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_core_module_imports_without_django() -> None:
    src = (
        "import sys, pkgutil, importlib, egov.methodology, egov.frameworks\n"
        "for package in (egov.methodology, egov.frameworks):\n"
        "    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
