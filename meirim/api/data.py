"""Observations (read; write within the user's scope) and index results, under /api/v1/.

Reading follows the same rule as the pages: approved data years are public; data not yet
approved is visible only to those who may read that municipality's drafts. Writing goes
through the same service as the data entry form.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import authenticate
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBasicAuth, django_auth
from ninja.security.http import DecodeError

from meirim.accounts import access
from meirim.api.access import PUBLIC, declared_access
from meirim.api.pagination import NEXT_DESCRIPTION, KeysetParams, keyset_page
from meirim.catalogue.models import BaselineFigure, CatalogueVersion, Indicator, Unit
from meirim.catalogue.selectors import published_version
from meirim.common.tabular import ImportRejected
from meirim.data.models import DataYear, Observation
from meirim.data.services import data_year_approve, data_year_reopen, observation_save
from meirim.geography.models import Municipality
from meirim.geography.selectors import municipality_find
from meirim.reports import suppression
from meirim.reports.selectors import dashboard

router = Router(tags=["data"])


class BasicAuth(HttpBasicAuth):
    """For scripts: HTTP Basic over HTTPS, through Django's authentication (and its lockout).

    A request carrying Basic credentials is judged by them alone: it is not subject to CSRF
    (a browser never adds them to a forged request, as this API never sends a Basic challenge),
    and wrong credentials end in 401 instead of falling back to the session. Every attempt goes
    through ``django.contrib.auth.authenticate``, so django-axes counts failures and locks the
    user name out; the lockout answer is JSON (see ``meirim.accounts.lockout``).
    """

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        if not header.lower().startswith(f"{self.openapi_scheme} "):
            return None
        try:
            username, password = self.decode_authorization(header)
        except DecodeError:
            raise AuthenticationError from None
        return self.authenticate(request, username, password)

    def authenticate(self, request: HttpRequest, username: str, password: str) -> Any:
        user = authenticate(request=request, username=username, password=password)
        if user is None:
            raise AuthenticationError
        request.user = user
        return user


# Basic first: when its header is present it decides. Otherwise the browser session is used,
# and session-authenticated writes must carry the CSRF token.
WRITE_AUTH = [BasicAuth(), django_auth]


class ObservationOut(Schema):
    id: int
    version: str
    municipality: str
    code: str
    year: int
    sex: str
    age_band: str
    disability: str
    district: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    description: str
    status: str
    data_type: str
    collection_method: str
    source: str
    comment: str
    is_outlier: bool
    is_demo: bool
    approved: bool
    suppressed: bool = Field(
        False,
        description="A small count (unit `count`, 1 to 4) that the caller may not see: "
        "`value` and `numerator` are null.",
    )


class ObservationIn(Schema):
    version: str = ""
    municipality: str
    code: str
    year: int
    value: str = ""
    numerator: str = ""
    denominator: str = ""
    description: str = ""
    status: str = "reported"
    sex: str = ""
    age_band: str = ""
    disability: str = ""
    district: str = ""
    data_type: str = ""
    collection_method: str = ""
    source: str = ""
    comment: str = ""


class ObservationFilter(KeysetParams):
    version: str = ""
    municipality: str = ""
    code: str = ""
    year: int | None = None


class ObservationPage(Schema):
    items: list[ObservationOut]
    count: int | None = Field(
        None, description="Not computed for observations (always null): follow `next`."
    )
    next: str | None = Field(description=NEXT_DESCRIPTION)


class ProblemOut(Schema):
    field: str
    message: str


class RejectedOut(Schema):
    detail: str
    problems: list[ProblemOut]


class ErrorOut(Schema):
    detail: str


def _version(code: str) -> CatalogueVersion:
    version = published_version(code or None)
    if version is None:
        raise Http404
    return version


def _municipality(code: str) -> Municipality:
    municipality = municipality_find(code)
    if municipality is None:
        raise Http404
    return municipality


def _out(observation: Observation, approved: bool, hide: bool = False) -> dict[str, Any]:
    """``hide``: a small count the caller may not see (value and numerator null)."""
    return {
        "id": observation.pk,
        "version": observation.version.code,
        "municipality": observation.municipality.code,
        "code": observation.code,
        "year": observation.year,
        "sex": observation.sex,
        "age_band": observation.age_band,
        "disability": observation.disability,
        "district": observation.district,
        "value": None if hide else observation.value,
        "numerator": None if hide else observation.numerator,
        "denominator": observation.denominator,
        "description": observation.text_value,
        "status": observation.status,
        "data_type": observation.data_type,
        "collection_method": observation.collection_method,
        "source": observation.source,
        "comment": observation.comment,
        "is_outlier": observation.is_outlier,
        "is_demo": observation.is_demo,
        "approved": approved,
        "suppressed": hide,
    }


@router.get(
    "/observations",
    response={200: ObservationPage, 404: ErrorOut},
    openapi_extra=declared_access(PUBLIC, drafts="data.read_draft"),
)
def list_observations(request: HttpRequest, filters: Query[ObservationFilter]) -> Any:
    """Observations in `id` order, one page at a time.

    Paging is by key: `limit` items (100 by default, at most 1000) whose `id` is greater
    than `after`; `next` holds the URL of the following page and is null on the last one.
    No total is counted (`count` is null).
    """
    version = _version(filters.version)
    approved = DataYear.objects.filter(
        version=version,
        municipality=OuterRef("municipality"),
        year=OuterRef("year"),
        state=DataYear.State.APPROVED,
    )
    qs = (
        Observation.objects.filter(version=version)
        .select_related("version", "municipality")
        .annotate(approved=Exists(approved))
    )
    if filters.municipality:
        municipality = _municipality(filters.municipality)
        qs = qs.filter(municipality=municipality)
        if not access.may(request.user, "data.read_draft", municipality):
            qs = qs.filter(approved=True)
    else:
        readable = access.municipalities_where(request.user, "data.read_draft")
        qs = qs.filter(Q(approved=True) | Q(municipality__in=readable))
    if filters.code:
        qs = qs.filter(code=filters.code)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    rows, next_url = keyset_page(
        qs, limit=filters.limit, after=filters.after, offset=filters.offset, request=request
    )
    # Small counts are hidden from whoever may not read the municipality's drafts.
    counted = set(
        Indicator.objects.filter(version=version, unit=Unit.COUNT).values_list("code", flat=True)
    ) | set(
        BaselineFigure.objects.filter(version=version, unit=Unit.COUNT).values_list(
            "code", flat=True
        )
    )
    readers: dict[int, bool] = {}

    def hide(o: Observation) -> bool:
        if o.code not in counted or not suppression.hidden(Unit.COUNT, o.value):
            return False
        if o.municipality_id not in readers:
            readers[o.municipality_id] = access.may(request.user, "data.read_draft", o.municipality)
        return not readers[o.municipality_id]

    items = [_out(o, o.approved, hide(o)) for o in rows]
    return {"items": items, "count": None, "next": next_url}


@router.post(
    "/observations",
    auth=WRITE_AUTH,
    response={200: ObservationOut, 400: RejectedOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("data.enter"),
)
def save_observation(request: HttpRequest, payload: ObservationIn) -> Any:
    """Create or update one cell (municipality × code × year × disaggregation)."""
    version = _version(payload.version)
    municipality = _municipality(payload.municipality)
    if not access.may(request.user, "data.enter", municipality):
        raise HttpError(403, _("You may not enter data for this municipality."))
    values = payload.dict(exclude={"version", "municipality", "code", "year"})
    try:
        observation = observation_save(
            version=version,
            municipality=municipality,
            code=payload.code,
            year=payload.year,
            values=values,
            actor=request.user,
        )
    except ImportRejected as rejected:
        problems = [{"field": p.field, "message": p.message} for p in rejected.problems]
        return Status(400, {"detail": _("The observation was not saved."), "problems": problems})
    approved = DataYear.objects.filter(
        version=version, municipality=municipality, year=payload.year, state="approved"
    ).exists()
    return Status(200, _out(observation, approved))


class NotAllowedOut(Schema):
    detail: str
    reasons: list[str]


class DataYearOut(Schema):
    municipality: str
    version: str
    year: int
    state: str = Field(description="`open` for entry, or `approved` (locked).")
    approved_at: datetime | None


class ReopenIn(Schema):
    reason: str


def _year_out(data_year: DataYear) -> dict[str, Any]:
    return {
        "municipality": data_year.municipality.code,
        "version": data_year.version.code,
        "year": data_year.year,
        "state": data_year.state,
        "approved_at": data_year.approved_at,
    }


@router.post(
    "/data-years/{municipality}/{year}/approve",
    auth=WRITE_AUTH,
    response={200: DataYearOut, 403: ErrorOut, 404: ErrorOut, 409: NotAllowedOut},
    openapi_extra=declared_access("data.approve_year"),
)
def approve_year(request: HttpRequest, municipality: str, year: int, version: str = "") -> Any:
    """Approve and lock a municipality's year (its coordinator). 409 with the reasons when the
    year cannot be approved now (already approved, out of range)."""
    place = _municipality(municipality)
    if not access.may(request.user, "data.approve_year", place):
        raise HttpError(403, _("You may not approve this municipality's data."))
    data_year = data_year_approve(
        version=_version(version), municipality=place, year=year, actor=request.user
    )
    return Status(200, _year_out(data_year))


@router.post(
    "/data-years/{municipality}/{year}/reopen",
    auth=WRITE_AUTH,
    response={200: DataYearOut, 403: ErrorOut, 404: ErrorOut, 409: NotAllowedOut},
    openapi_extra=declared_access("data.reopen_year"),
)
def reopen_year(
    request: HttpRequest, municipality: str, year: int, payload: ReopenIn, version: str = ""
) -> Any:
    """Reopen an approved year for corrections (national council), with the reason."""
    place = _municipality(municipality)
    if not access.may(request.user, "data.reopen_year", place):
        raise HttpError(403, _("You may not reopen this municipality's data."))
    data_year = data_year_reopen(
        version=_version(version),
        municipality=place,
        year=year,
        actor=request.user,
        reason=payload.reason,
    )
    return Status(200, _year_out(data_year))


class ProgressOut(Schema):
    change: str
    baseline: float | None
    baseline_year: int | None
    current: float | None
    current_year: int | None
    target: float | None
    target_state: str
    gap_closed: float | None


class ScoreOut(Schema):
    code: str
    parent: str
    scores: dict[str, float | None]
    progress: ProgressOut


class IndicatorResultOut(Schema):
    code: str
    scored: bool
    not_scored_reason: str
    values: dict[str, float | None]
    suppressed: list[int] = Field(
        description="Years whose value is a small count hidden from the public (null in "
        "`values`; its score and progress are not given either)."
    )
    latest_year: int | None
    score: float | None
    progress: ProgressOut


class ResultsOut(Schema):
    version: str
    municipality: str
    data_revision: int
    computed_at: datetime | None
    updating: bool
    demonstration_data: bool
    years: list[int]
    baseline_year: int | None
    index: ScoreOut | None
    categories: list[ScoreOut]
    subdomains: list[ScoreOut]
    indicators: list[IndicatorResultOut]


def _progress(view: Any) -> dict[str, Any]:
    return {
        "change": view.change,
        "baseline": view.baseline,
        "baseline_year": view.baseline_year,
        "current": view.current,
        "current_year": view.current_year,
        "target": view.target,
        "target_state": view.target_state,
        "gap_closed": view.gap_closed,
    }


def _score(line: Any, years: list[int]) -> dict[str, Any]:
    return {
        "code": line.code,
        "parent": line.parent,
        "scores": {str(y): s for y, s in zip(years, line.scores, strict=True)},
        "progress": _progress(line.progress),
    }


@router.get(
    "/results/{municipality}",
    response={200: ResultsOut, 404: ErrorOut},
    openapi_extra=declared_access(PUBLIC, drafts="data.read_draft"),
)
def municipality_results(
    request: HttpRequest, municipality: str, version: str = "", baseline: int | None = None
) -> Any:
    """Index, category, sub-domain and indicator results computed from approved data.

    Read from the stored results: ``computed_at`` says when they were computed, ``updating``
    that newer data wait for the worker (these are then the last computed results)."""
    catalogue = _version(version)
    place = _municipality(municipality)
    board = dashboard(version=catalogue, municipality=place, baseline=baseline, explained=False)
    years = list(board.years)
    payload = {
        "version": catalogue.code,
        "municipality": place.code,
        "data_revision": board.revision,
        "computed_at": board.computed_at,
        "updating": board.updating,
        "demonstration_data": board.demo,
        "years": years,
        "baseline_year": board.baseline_year,
        "index": _score(board.index, years) if board.index else None,
        "categories": [_score(line, years) for line in board.categories],
        "subdomains": [_score(line, years) for line in board.subdomains],
        "indicators": [
            {
                "code": line.indicator.code,
                "scored": line.scored,
                "not_scored_reason": line.not_scored,
                "values": {str(y): v for y, v in zip(years, line.values, strict=True)},
                "suppressed": [y for y, s in zip(years, line.suppressed, strict=True) if s],
                "latest_year": line.latest_year,
                "score": line.score,
                "progress": _progress(line.progress),
            }
            for line in board.indicators
        ],
    }
    # Built field by field in ResultsOut's shape (a test holds them together), so it is
    # rendered as it is: validating a few thousand nested values again would cost more than
    # reading them.
    return HttpResponse(
        JSONRenderer().render(request, payload, response_status=200),
        content_type=JSONRenderer.media_type + "; charset=utf-8",
    )
