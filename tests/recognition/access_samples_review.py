"""How to call this part's pages and API for the access matrix
(tests/accounts/test_access_table.py).

Route name → (URL kwargs, query string, the municipality the route acts on, methods).
"""

from __future__ import annotations

TOWN = "KZ-AKM-KOKSHETAU"
_APP = {"municipality": TOWN, "application": 999999}

SAMPLES: dict[str, tuple[dict[str, object], str, str | None, tuple[str, ...]]] = {
    "recognition:applications": ({"cycle": 999999}, "", None, ("get",)),
    "recognition:my_reviews": ({}, "", None, ("get",)),
    "recognition:group": ({"municipality": TOWN}, "", TOWN, ("get", "post")),
    "recognition:group_member": (
        {"municipality": TOWN, "member": 999999},
        "",
        TOWN,
        ("get", "post"),
    ),
    "recognition:review": (_APP, "", TOWN, ("get",)),
    "recognition:reviewers": (_APP, "", TOWN, ("get", "post")),
    "recognition:visits": (_APP, "", TOWN, ("get", "post")),
    "recognition:visit_file": ({**_APP, "visit": 999999}, "", TOWN, ("get",)),
    "recognition:decide": (_APP, "", TOWN, ("get", "post")),
    "recognition:score": (_APP, "", TOWN, ("get", "post")),
    "recognition:conflict": (_APP, "", TOWN, ("get", "post")),
    "recognition:group_work": ({"municipality": TOWN}, "", TOWN, ("get", "post")),
    "recognition:group_copy": (_APP, "", TOWN, ("get",)),
    "recognition:group_attachment": ({**_APP, "attachment": 999999}, "", TOWN, ("get",)),
    "recognition:community_report": (_APP, "", TOWN, ("get", "post")),
    "recognition:community_report_file": ({**_APP, "file": 999999}, "", TOWN, ("get",)),
}

# API path → {parameter: value} where a parameter means something else on that path.
API_PATH_PARAMETERS: dict[str, dict[str, str]] = {
    f"/api/v1/applications/{{id}}/{tail}": {"id": "999999"}
    for tail in ("community-report", "decision", "reviewers", "conflict", "scores")
}
# API path → a valid body for its writing operation, so that only access decides the answer.
API_BODIES: dict[str, dict[str, object]] = {
    "/api/v1/applications/{id}/community-report": {
        "text": "Checking the access table",
        "criteria": [{"criterion": "K1", "verdict": "agree", "comment": ""}],
    },
    "/api/v1/applications/{id}/decision": {"level": "L1", "reasons": "Checking the table"},
    "/api/v1/applications/{id}/reviewers": {"reviewer": "reviewer"},
    "/api/v1/applications/{id}/conflict": {"conflict": False, "note": ""},
    "/api/v1/applications/{id}/scores": {
        "scores": [{"criterion": "K1", "score": 1, "comment": "ok", "evidence": ""}]
    },
}
