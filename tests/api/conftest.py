"""The API is tested against the real published editions, imported as for the web pages."""

from __future__ import annotations

from tests.web.conftest import imported, published_files

__all__ = ["imported", "published_files"]
