"""Reads of the knowledge app, one module per area: ``items``, ``capacity`` (workshops,
projects, programmes), ``peers`` (a country's knowledge and suggestions from its peers); full-text
search is :mod:`egov.web.knowledge.search`."""
