"""The public face of egov.data: what it exports, and that it needs no Django."""

from __future__ import annotations

import subprocess
import sys

import egov.data
import egov.data.readers
import egov.data.writers


def test_core_imports_without_django() -> None:
    source = (
        "import sys, egov.data, egov.data.readers, egov.data.writers\n"
        "print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_exported_name_exists() -> None:
    for module in (egov.data, egov.data.readers, egov.data.writers):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
