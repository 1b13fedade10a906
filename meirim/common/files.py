"""The one rule for evidence files uploaded anywhere (data, council, governance, audit, plan,
participation): known kinds of document, not empty, at most 20 MB. Files are kept privately
under MEDIA_ROOT and served only through views that check access (``private_download``)."""

from __future__ import annotations

import os
from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".csv", ".txt", ".jpg",
     ".jpeg", ".png", ".zip"}
)  # fmt: skip


def evidence_file_problem(file: Any) -> str | None:
    """Why ``file`` (an uploaded file) cannot be kept as evidence, translated; None if it can.
    Each caller turns the sentence into its own refusal (form error, import problem…)."""
    extension = os.path.splitext(file.name or "")[1].lower()
    if extension not in EVIDENCE_EXTENSIONS:
        return _("This kind of file is not accepted; use one of: %(allowed)s") % {
            "allowed": ", ".join(sorted(EVIDENCE_EXTENSIONS))
        }
    if file.size is not None and file.size > EVIDENCE_MAX_BYTES:
        return _("The file is larger than %(size)s MB.") % {
            "size": EVIDENCE_MAX_BYTES // (1024 * 1024)
        }
    if not file.size:
        return _("The file is empty.")
    return None


def private_download(file: Any, filename: str | None = None) -> FileResponse:
    """A stored evidence file as an attachment that no cache keeps; 404 when there is none.
    The caller has checked who may read it."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = filename or os.path.basename(file.name or "") or "file"
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
