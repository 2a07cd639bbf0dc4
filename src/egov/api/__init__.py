"""The HTTP API: one :class:`ninja.NinjaAPI` per version (``v1``), one router per area.

Endpoints are thin (parse, call one selector, render a schema); errors share one shape
(:mod:`egov.api.v1.errors`); published data carry ``ETag`` and ``Cache-Control``
(:mod:`egov.api.caching`). ``docs/api.md`` is the guide.
"""
