"""The API is tested against the real published editions, imported as for the web pages, and
with the accounts of the web tests (one per role)."""

from __future__ import annotations

from tests.web.conftest import accounts, client_as, countries, imported, published_files

__all__ = ["accounts", "client_as", "countries", "imported", "published_files"]
