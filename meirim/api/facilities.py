"""Phase 1 API: the audit of facilities and services (registered under /api/v1/ by meirim.api.api).

The keys and codes are those of the import file: ``type`` is a facility kind, lists
(``target_ages``, ``barriers``, ``groups_affected``) are lists of codes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from meirim.accounts import access
from meirim.api.access import declared_access
from meirim.api.data import WRITE_AUTH
from meirim.api.pagination import OffsetParams, offset_page, page_schema
from meirim.api.phase1 import ErrorOut, RefusedOut, municipality_or_404
from meirim.common.tabular import ImportRejected
from meirim.facilities import fields, selectors, services
from meirim.facilities.models import Facility

router = Router(tags=["facilities"])


class FacilityOut(Schema):
    id: int
    name: str
    type: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    target_ages: list[str]
    availability: str
    barriers: list[str]
    barrier_details: str
    groups_affected: list[str]
    adult_rating: int | None
    children_rating: int | None
    children_asked_by: str
    children_said: str
    evidence: str
    audited_on: dt.date | None
    updated_at: dt.datetime


FacilityPage = page_schema(FacilityOut, "FacilityPage")


class FacilityIn(Schema):
    """Every field may be sent; name, type and availability are required. Codes are checked
    by the service so that a refusal names every bad field at once."""

    name: str | None = None
    type: str | None = None
    address: str | None = None
    latitude: float | str | None = None
    longitude: float | str | None = None
    target_ages: list[str] | str | None = None
    availability: str | None = None
    barriers: list[str] | str | None = None
    barrier_details: str | None = None
    groups_affected: list[str] | str | None = None
    adult_rating: int | float | str | None = None
    children_rating: int | float | str | None = None
    children_asked_by: str | None = None
    children_said: str | None = None
    evidence: str | None = None
    audited_on: str | None = None


class FacilityFilter(OffsetParams):
    type: str = ""
    availability: str = ""
    barrier: str = ""


def _out(facility: Facility) -> dict[str, Any]:
    return {"id": facility.pk, **fields.as_record(facility), "updated_at": facility.updated_at}


@router.get(
    "/municipalities/{code}/facilities",
    auth=WRITE_AUTH,
    response={200: FacilityPage, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("preparation.read"),
)
def list_facilities(request: HttpRequest, code: str, filters: Query[FacilityFilter]) -> Any:
    """The city's audit of facilities and services, one page at a time (`limit`, `offset`;
    `next` is the URL of the following page). Filters: `type`, `availability`, `barrier`."""
    municipality = municipality_or_404(code)
    if not access.may(request.user, "preparation.read", municipality):
        raise HttpError(403, _("You may not read this municipality's preparation."))
    qs = selectors.facilities(
        municipality,
        kind=filters.type,
        availability=filters.availability,
        barrier=filters.barrier,
    )
    return offset_page(qs, params=filters, request=request, item=_out)


@router.post(
    "/municipalities/{code}/facilities",
    auth=WRITE_AUTH,
    response={201: FacilityOut, 400: RefusedOut, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=declared_access("preparation.edit"),
)
def create_facility(request: HttpRequest, code: str, payload: FacilityIn) -> Any:
    """Add a facility to the audit. 400 names every bad field or code."""
    municipality = municipality_or_404(code)
    if not access.may(request.user, "preparation.edit", municipality):
        raise HttpError(403, _("You may not change this municipality's preparation."))
    record = payload.dict(exclude_unset=True)
    values, problems = fields.parse(record)
    if not problems:
        try:
            facility = services.facility_create(
                municipality=municipality, values=values, actor=request.user
            )
        except ImportRejected as rejected:
            problems = [(p.field, p.message) for p in rejected.problems]
        else:
            return Status(201, _out(facility))
    errors = [{"field": name, "message": message} for name, message in problems]
    return Status(400, {"detail": _("The facility was not saved."), "errors": errors})
