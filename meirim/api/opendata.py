"""Open data under /open-data/: approved observations and results as CSV, XLSX, JSON and
Parquet, the data dictionary and the licence.

Public, without an account. The files are built by the task worker after each data revision
and served from storage: the latest complete release at ``/open-data/{dataset}.{format}``,
any kept release at ``/open-data/revisions/{revision}/{dataset}.{format}``.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from ninja import Router, Schema

from meirim.api.access import PUBLIC, declared_access
from meirim.api.schemas import ErrorOut
from meirim.opendata import selectors
from meirim.opendata.datasets import DATASETS
from meirim.opendata.licence import LICENCE_NAME, LICENCE_URL, licence_payload
from meirim.opendata.models import OpenDataRelease
from meirim.opendata.services import file_name
from meirim.opendata.tasks import build_request
from meirim.opendata.writers import FORMATS, MEDIA_TYPES

router = Router(tags=["opendata"])

#: How long a client waits before asking again while the first release is prepared.
RETRY_AFTER_SECONDS = 60
LATEST_CACHE = "public, max-age=300"
PINNED_CACHE = "public, max-age=31536000, immutable"


class OpenDataFileOut(Schema):
    url: str
    size: int
    media_type: str


class OpenDataDatasetOut(Schema):
    name: str
    rows: int
    files: dict[str, OpenDataFileOut]


class OpenDataLicenceOut(Schema):
    name: str
    url: str
    statement: dict[str, str]
    attribution: dict[str, str]


class OpenDataIndexOut(Schema):
    licence: OpenDataLicenceOut
    licence_url: str
    version: str
    revision: str
    built_at: str
    building: bool
    datasets: list[OpenDataDatasetOut]
    dictionary_url: str


def _preparing() -> HttpResponse:
    """503 while the first release is prepared (a build is queued)."""
    build_request()
    response = JsonResponse(
        {
            "detail": _("The open data are being prepared. Please try again in a minute."),
            "errors": [],
        },
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _not_found(dataset: str, fmt: str) -> HttpResponse:
    errors = []
    if dataset not in DATASETS:
        errors.append({"field": "dataset", "value": dataset, "allowed": list(DATASETS)})
    if fmt not in FORMATS:
        errors.append({"field": "format", "value": fmt, "allowed": list(FORMATS)})
    return JsonResponse(
        {"detail": _("There is no such open data file."), "errors": errors}, status=404
    )


def _file_url(request: HttpRequest, dataset: str, fmt: str, label: str | None = None) -> str:
    if label is None:
        return request.build_absolute_uri(f"/api/v1/open-data/{dataset}.{fmt}")
    return request.build_absolute_uri(f"/api/v1/open-data/revisions/{label}/{dataset}.{fmt}")


def _serve(
    request: HttpRequest, release: OpenDataRelease, dataset: str, fmt: str, *, pinned: bool
) -> HttpResponseBase:
    stored = release.file(dataset, fmt)
    if stored is None:
        return _not_found(dataset, fmt)
    etag = f'"{stored["etag"]}"'
    built = int(release.built_at.timestamp()) if release.built_at else None
    conditional = get_conditional_response(request, etag=etag, last_modified=built)
    if conditional is None:
        name = file_name(dataset, release.label, fmt)
        response: HttpResponseBase = FileResponse(
            default_storage.open(stored["name"], "rb"),
            as_attachment=True,
            filename=name,
            content_type=MEDIA_TYPES[fmt],
        )
        response["Content-Length"] = str(stored["size"])
    else:
        response = conditional
    response["ETag"] = etag
    if built is not None:
        response["Last-Modified"] = http_date(built)
    response["Cache-Control"] = PINNED_CACHE if pinned else LATEST_CACHE
    response["X-Open-Data-Revision"] = release.label
    return response


@router.get(
    "/open-data/",
    response={200: OpenDataIndexOut, 503: ErrorOut},
    openapi_extra=declared_access(PUBLIC),
)
def open_data_index(request: HttpRequest) -> Any:
    """The downloads of the latest release: each dataset's row count and files (CSV, XLSX,
    JSON, Parquet) with their sizes, the dictionary and the licence. 503 with
    ``Retry-After`` while the first release is being prepared."""
    release = selectors.latest_release()
    if release is None:
        return _preparing()
    building = selectors.building()
    payload = {
        "licence": licence_payload(release.label),
        "licence_url": request.build_absolute_uri("/api/v1/open-data/licence"),
        "version": release.version.code,
        "revision": release.label,
        "built_at": release.built_at.isoformat() if release.built_at else "",
        "building": building is not None and building.pk != release.pk,
        "datasets": [
            {
                "name": dataset,
                "rows": int(release.rows.get(dataset, 0)),
                "files": {
                    fmt: {
                        "url": _file_url(request, dataset, fmt),
                        "size": int(stored["size"]),
                        "media_type": MEDIA_TYPES[fmt],
                    }
                    for fmt in FORMATS
                    if (stored := release.file(dataset, fmt)) is not None
                },
            }
            for dataset in DATASETS
        ],
        "dictionary_url": _file_url(request, "dictionary", "csv"),
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = LATEST_CACHE
    return response


@router.get(
    "/open-data/licence",
    response=OpenDataLicenceOut,
    openapi_extra=declared_access(PUBLIC),
)
def open_data_licence(request: HttpRequest) -> Any:
    """The licence (CC BY 4.0) and the attribution to give, in kk, ru, en and ky."""
    release = selectors.latest_release()
    payload = licence_payload(release.label if release else "")
    payload["name"], payload["url"] = LICENCE_NAME, LICENCE_URL
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@router.get(
    "/open-data/revisions/{revision}/{dataset}.{format}",
    response={404: ErrorOut},
    openapi_extra=declared_access(PUBLIC),
)
def open_data_pinned_file(request: HttpRequest, revision: str, dataset: str, format: str) -> Any:
    """One file of a given release (404 once the release is no longer kept)."""
    if dataset not in DATASETS or format not in FORMATS:
        return _not_found(dataset, format)
    release = selectors.release_get(revision)
    if release is None:
        return JsonResponse(
            {
                "detail": _("This open data release is not available (any more)."),
                "errors": [{"field": "revision", "value": revision}],
            },
            status=404,
        )
    return _serve(request, release, dataset, format, pinned=True)


@router.get(
    "/open-data/{dataset}.{format}",
    response={404: ErrorOut, 503: ErrorOut},
    openapi_extra=declared_access(PUBLIC),
)
def open_data_file(request: HttpRequest, dataset: str, format: str) -> Any:
    """One file of the latest release, named with its revision; ``ETag`` and
    ``Last-Modified`` let a client ask again with ``If-None-Match`` (304 when unchanged)."""
    if dataset not in DATASETS or format not in FORMATS:
        return _not_found(dataset, format)
    release = selectors.latest_release()
    if release is None:
        return _preparing()
    return _serve(request, release, dataset, format, pinned=False)
