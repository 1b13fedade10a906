"""How to call this app's pages and API for the access matrix (tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"
_TOWN = {"municipality": TOWN}
_YEAR = {"municipality": TOWN, "year": 2026}

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "governance:council": (_TOWN, "", TOWN, ("get", "post")),
    "governance:council_tor_document": (_TOWN, "", TOWN, ("get",)),
    "governance:council_member_add": (_TOWN, "", TOWN, ("get", "post")),
    "governance:council_member_edit": ({**_TOWN, "member": 1}, "", TOWN, ("get", "post")),
    "governance:council_member_remove": ({**_TOWN, "member": 1}, "", TOWN, ("post",)),
    "governance:meeting_add": (_TOWN, "", TOWN, ("get", "post")),
    "governance:meeting_edit": ({**_TOWN, "meeting": 1}, "", TOWN, ("get", "post")),
    "governance:meeting_remove": ({**_TOWN, "meeting": 1}, "", TOWN, ("post",)),
    "governance:meeting_document": ({**_TOWN, "meeting": 1}, "", TOWN, ("get",)),
    "governance:rounds": (_TOWN, "", TOWN, ("get", "post")),
    "governance:round": (_YEAR, "section=GS-I.1", TOWN, ("get", "post")),
    "governance:round_manage": (_YEAR, "", TOWN, ("post",)),
    "governance:round_report": (_YEAR, "", TOWN, ("get",)),
    "governance:answer_evidence": ({**_YEAR, "code": "G01"}, "", TOWN, ("get",)),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {
    "/api/v1/municipalities/{code}/governance/{year}": {"year": "2026"},
}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {
    "/api/v1/municipalities/{code}/governance/{year}": {
        "answers": [{"question": "G01", "answer": "yes"}]
    },
}
