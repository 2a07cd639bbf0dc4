"""The Data Center's pages, one module a page; each view parses its query, calls selectors
and renders (STYLE §10)."""
