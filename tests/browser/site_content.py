"""Write knowledge items into the served site's database through the services, for browser
tests that need more items than is sensible to type through the pages.

Run in the site's environment (``EGOV_DATABASE_URL``, ``EGOV_MEDIA_DIR``)::

    python -m tests.browser.site_content IN.json OUT.json

``IN`` is ``{"author": username, "items": [{"key", "title", "summary", "body_md",
"files": [name, ...]}, ...]}``; an item may also give its ``type`` (a good practice
otherwise), ``countries``, ``meter_tags`` and ``year``. Each item is created by ``author``
(an editor), given its files (a tiny valid PDF, Word or Excel file by the name's extension;
any other extension gets PDF bytes, which the service refuses), sent for review and
published. ``OUT`` is ``{key: {"slug",
"files": [{"name", "shown", "pk"} or {"name", "refused": [code, ...]}]}}``.
"""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _ooxml(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(f"{folder}document.xml", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def content_for(name: str) -> bytes:
    """Bytes a file named ``name`` is accepted with (PDF bytes for anything unknown)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return {"docx": _ooxml("word/"), "xlsx": _ooxml("xl/"), "pptx": _ooxml("ppt/")}.get(
        extension, PDF
    )


def write(spec: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from egov.errors import ServiceError
    from egov.web.knowledge.services.items import (
        ItemInput,
        attachment_add,
        item_create,
        item_transition,
    )

    author = User.objects.get(username=spec["author"])
    written: dict[str, Any] = {}
    for entry in spec["items"]:
        item = item_create(
            data=ItemInput(
                type=entry.get("type", "good_practice"),
                title=entry["title"],
                summary=entry["summary"],
                body_md=entry.get("body_md", ""),
                countries=entry.get("countries", ()),
                meter_tags=entry.get("meter_tags", ()),
                year=entry.get("year"),
            ),
            actor=author,
        )
        files: list[dict[str, Any]] = []
        for name in entry.get("files", []):
            try:
                attachment = attachment_add(
                    item=item, name=name, content=content_for(name), actor=author
                )
            except ServiceError as error:
                files.append({"name": name, "refused": [i.code for i in error.issues]})
            else:
                files.append({"name": name, "shown": attachment.name, "pk": attachment.pk})
        item_transition(item=item, action="submit", actor=author)
        item_transition(item=item, action="publish", actor=author)
        written[entry["key"]] = {"slug": item.slug, "files": files}
    return written


def main(source: Path, target: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.web.settings")
    import django

    django.setup()
    spec = json.loads(source.read_text(encoding="utf-8"))
    target.write_text(json.dumps(write(spec)), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
