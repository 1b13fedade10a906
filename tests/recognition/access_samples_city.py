"""How to call this part's pages and API for the access matrix
(tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"
_APP = {"municipality": TOWN, "application": 999999}

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "recognition:city": ({"municipality": TOWN}, "", TOWN, ("get",)),
    "recognition:apply": ({"municipality": TOWN, "cycle": 999999}, "", TOWN, ("get", "post")),
    "recognition:application": (_APP, "", TOWN, ("get", "post")),
    "recognition:portfolio": (_APP, "", TOWN, ("get", "post")),
    "recognition:evidence": (_APP, "", TOWN, ("get", "post")),
    "recognition:attachments": (_APP, "", TOWN, ("get", "post")),
    "recognition:attachment": ({**_APP, "attachment": 999999}, "", TOWN, ("get",)),
    "recognition:eoi_scan": (_APP, "", TOWN, ("get",)),
    "recognition:readiness": (_APP, "", TOWN, ("get",)),
    "recognition:submit": (_APP, "", TOWN, ("post",)),
    "recognition:snapshot": ({**_APP, "number": 1}, "", TOWN, ("get",)),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {
    "/api/v1/cycles/{id}/applications": {"id": "999999"},
    "/api/v1/applications/{id}": {"id": "999999"},
    "/api/v1/applications/{id}/portfolio/submit": {"id": "999999"},
    "/api/v1/applications/{id}/readiness": {"id": "999999"},
}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {
    "/api/v1/cycles/{id}/applications": {
        "municipality": TOWN,
        "commitments": [f"A{n}" for n in range(1, 8)],
        "signatory": "Akim of the city",
        "signed_on": "2026-01-15",
    },
    "/api/v1/applications/{id}/portfolio/submit": {},
}
