"""The one access table: who may do which action, to which objects.

Every decision "may this user do X to this object" is answered here, from :data:`ACCESS_TABLE`
(action → roles → scope rule). Views declare their action with :func:`page` (which also checks
it), the API declares it in each operation's ``x-access`` OpenAPI field and asks :func:`may`,
templates ask ``{% may %}``, the personal page's menu lists the actions of each role, and
``tests/test_access_matrix.py`` is generated from this table and the list of routes.

Why a table of our own rather than ``rules`` predicates or Django's ``has_perm``: every rule
here has the same shape (a set of roles, and whether the object must lie in the role's
territory), so plain data is enough, and plain data can be read by the menu and the tests.
Django's ``has_perm`` is not used because it answers yes to every superuser, and the national
administrator is a superuser for the Django admin without being allowed to enter a city's data.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from meirim.accounts.models import NATIONAL_ROLES, Role, RoleAssignment
from meirim.geography.models import Municipality


class Scope(enum.Enum):
    """Where a role's permission applies."""

    #: The action concerns no particular municipality (the catalogue, the audit log).
    ANYWHERE = "anywhere"
    #: The object must lie in the role's territory: everywhere for national roles, the
    #: region's municipalities for a region officer, the one municipality for the others.
    TERRITORY = "territory"
    #: Anyone signed in, with or without a role, acting on their own account.
    OWN_ACCOUNT = "own_account"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    scope: Scope


def _rule(scope: Scope, *roles: str) -> Rule:
    return Rule(frozenset(str(role) for role in roles), scope)


COUNCIL = (Role.NATIONAL_COUNCIL, Role.NATIONAL_ADMIN)
CITY_DATA_PEOPLE = (Role.CITY_COORDINATOR, Role.DEPARTMENT_HEAD)

ACCESS_TABLE: dict[str, Rule] = {
    # The national index catalogue: copy a version, read drafts, set targets, publish.
    "catalogue.edit": _rule(Scope.ANYWHERE, *COUNCIL),
    # The cities' data. Unapproved values: the city itself, its region, the national level.
    "data.read_draft": _rule(
        Scope.TERRITORY, *NATIONAL_ROLES, Role.REGION_OFFICER, *CITY_DATA_PEOPLE
    ),
    "data.enter": _rule(Scope.TERRITORY, *CITY_DATA_PEOPLE),
    "data.upload": _rule(Scope.TERRITORY, Role.CITY_COORDINATOR),
    "data.approve_year": _rule(Scope.TERRITORY, Role.CITY_COORDINATOR),
    "data.reopen_year": _rule(Scope.TERRITORY, *COUNCIL),
    # Phase 1, the city's preparation. Its workspaces (council, governance assessment, audit,
    # strategy and action plan, participation, budget, portfolio drafts) are read by the city,
    # its region and the national level, and written by the city's people.
    "preparation.read": _rule(
        Scope.TERRITORY, *NATIONAL_ROLES, Role.REGION_OFFICER, *CITY_DATA_PEOPLE
    ),
    "preparation.edit": _rule(Scope.TERRITORY, *CITY_DATA_PEOPLE),
    # Progress of every city through Phase 1, side by side.
    "preparation.overview": _rule(Scope.TERRITORY, *NATIONAL_ROLES, Role.REGION_OFFICER),
    # Department heads answer the sections given to them; the coordinator any question.
    "governance.answer": _rule(Scope.TERRITORY, *CITY_DATA_PEOPLE),
    # Open and close a round, name its participants, give sections, write its report.
    "governance.manage": _rule(Scope.TERRITORY, Role.CITY_COORDINATOR),
    # Submit the preparatory portfolio and answer the council's feedback.
    "portfolio.submit": _rule(Scope.TERRITORY, Role.CITY_COORDINATOR),
    # The national council's feedback on a submitted portfolio; moderation of public comments.
    "portfolio.feedback": _rule(Scope.TERRITORY, *COUNCIL),
    # Phase 2, recognition. The national council's roster, cycles, criteria and rubric
    # (the national administrator keeps them too; neither sees a community report by this).
    "recognition.manage": _rule(Scope.ANYWHERE, *COUNCIL),
    # Applications and (non-confidential) recognition portfolios: the city, its region, the
    # national level.
    "recognition.read": _rule(
        Scope.TERRITORY, *NATIONAL_ROLES, Role.REGION_OFFICER, *CITY_DATA_PEOPLE
    ),
    # The city's recognition portfolio: its sections, evidence per criterion, attachments.
    "recognition.prepare": _rule(Scope.TERRITORY, *CITY_DATA_PEOPLE),
    # Sign and send the expression of interest; submit the portfolio.
    "recognition.apply": _rule(Scope.TERRITORY, Role.CITY_COORDINATOR),
    # Record the city's community-level group and its members (the city or the council).
    "recognition.group_manage": _rule(Scope.TERRITORY, *COUNCIL, Role.CITY_COORDINATOR),
    # The group's own pages: the submitted portfolio's copy, its report (members only).
    "recognition.group": _rule(Scope.TERRITORY, Role.COMMUNITY_GROUP),
    # The confidential community report: council members and the group's members
    # only; ``meirim.recognition.confidential`` adds the membership check.
    "recognition.confidential": _rule(Scope.TERRITORY, Role.NATIONAL_COUNCIL, Role.COMMUNITY_GROUP),
    # Reviewing: assign reviewers, record site visits, compare scores, decide.
    "recognition.decide": _rule(Scope.TERRITORY, Role.NATIONAL_COUNCIL),
    # A reviewer's own assignments: declare conflicts of interest, score the criteria.
    "recognition.review": _rule(Scope.TERRITORY, Role.REVIEWER, Role.NATIONAL_COUNCIL),
    # Children's voice. The city's designated people read, tag, answer and publish the
    # suggestions; the protection officer receives the safeguarding concerns.
    "voice.moderate": _rule(Scope.TERRITORY, *CITY_DATA_PEOPLE),
    "voice.safeguarding": _rule(Scope.TERRITORY, Role.PROTECTION_OFFICER),
    # Children's surveys: the city publishes its own; the council publishes national ones.
    "surveys.manage": _rule(Scope.TERRITORY, *COUNCIL, Role.CITY_COORDINATOR),
    # Administration.
    "audit.read": _rule(Scope.ANYWHERE, Role.NATIONAL_ADMIN),
    "admin.use": _rule(Scope.ANYWHERE, Role.NATIONAL_ADMIN),
    # Any signed-in person: their own page, their password.
    "account.own": _rule(Scope.OWN_ACCOUNT),
}


# --- The user's roles --------------------------------------------------------------------


def roles_of(user: Any) -> list[RoleAssignment]:
    """The user's role assignments, loaded once per request object."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return []
    cached = getattr(user, "_meirim_roles", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).select_related(
                "region", "municipality", "municipality__region"
            )
        )
        user._meirim_roles = cached
    return cached


def _municipality_of(obj: Any) -> Municipality | None:
    if obj is None or isinstance(obj, Municipality):
        return obj
    return getattr(obj, "municipality", None)


def _covers(assignment: RoleAssignment, municipality: Municipality) -> bool:
    if assignment.role in NATIONAL_ROLES:
        return True
    if assignment.region_id is not None:
        return municipality.region_id == assignment.region_id
    return assignment.municipality_id == municipality.pk


def _rule_for(action: str) -> Rule:
    try:
        return ACCESS_TABLE[action]
    except KeyError:
        raise LookupError(f"{action!r} is not in the access table") from None


# --- Questions ---------------------------------------------------------------------------


def may(user: Any, action: str, obj: Any = None) -> bool:
    """May ``user`` do ``action`` (to ``obj``, a municipality or an object that has one)?

    Without an object, a territory action is answered for "somewhere": the user holds one
    of its roles (used for menus and for pages that list what is in scope).
    """
    rule = _rule_for(action)
    if rule.scope is Scope.OWN_ACCOUNT:
        return bool(getattr(user, "is_authenticated", False)) and obj in (None, user)
    held = [a for a in roles_of(user) if a.role in rule.roles]
    if rule.scope is Scope.ANYWHERE or obj is None:
        return bool(held)
    municipality = _municipality_of(obj)
    if municipality is None:
        return False
    return any(_covers(assignment, municipality) for assignment in held)


def require(user: Any, action: str, obj: Any = None) -> None:
    """:func:`may`, or ``PermissionDenied``."""
    if not may(user, action, obj):
        raise PermissionDenied


def municipalities_where(user: Any, action: str) -> QuerySet[Municipality]:
    """Every municipality the user may do ``action`` to, as one query."""
    rule = _rule_for(action)
    held = [a for a in roles_of(user) if a.role in rule.roles]
    if any(a.role in NATIONAL_ROLES for a in held):
        return Municipality.objects.all()
    municipality_ids = [a.municipality_id for a in held if a.municipality_id]
    region_ids = [a.region_id for a in held if a.region_id]
    return Municipality.objects.filter(Q(pk__in=municipality_ids) | Q(region_id__in=region_ids))


def roles_allowed(action: str) -> frozenset[str]:
    return _rule_for(action).roles


# --- Pages -------------------------------------------------------------------------------

PUBLIC = None
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def page(
    action: str | None,
    *,
    post: str | None = None,
    municipality: str | None = None,
) -> Callable[[View], View]:
    """Declare and enforce a page's action.

    ``action`` is checked for every request (``post``, when given, for POST instead);
    ``PUBLIC`` (None) marks a page open to everyone. ``municipality`` names the URL argument
    that holds a municipality's code: it is looked up (404 if unknown), the check applies to
    it, and the view receives the :class:`Municipality` instead of the code.
    The declared actions are kept on the view for the access-matrix test.
    """
    for name in (action, post):
        if name is not None:
            _rule_for(name)  # an unknown action fails at import time, not at request time

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            wanted = post if post is not None and request.method == "POST" else action
            if wanted is None:
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            obj = None
            if municipality is not None:
                obj = Municipality.objects.filter(code=kwargs[municipality]).first()
                if obj is None:
                    raise Http404
                kwargs[municipality] = obj
            require(request.user, wanted, obj)
            return view(request, *args, **kwargs)

        wrapped.access_actions = {"GET": action, "POST": post or action}  # type: ignore[attr-defined]
        return cast(View, wrapped)

    return decorate
