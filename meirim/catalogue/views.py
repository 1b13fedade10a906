"""The catalogue browser and the national council's catalogue maintenance pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meirim.accounts import access
from meirim.catalogue import selectors, services
from meirim.catalogue.forms import CopyVersionForm, TargetForm
from meirim.catalogue.models import CatalogueVersion, Indicator


def _version(request: HttpRequest, code: str) -> CatalogueVersion:
    try:
        return selectors.versions_visible_to(request.user).get(code=code)
    except CatalogueVersion.DoesNotExist:
        raise Http404 from None


@access.page(access.PUBLIC)
def version_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/version_list.html",
        {"versions": selectors.versions_visible_to(request.user)},
    )


@access.page(access.PUBLIC)
def version_detail(request: HttpRequest, version: str) -> HttpResponse:
    catalogue = _version(request, version)
    return render(
        request,
        "catalogue/version_detail.html",
        {
            "version": catalogue,
            "categories": selectors.category_tree(catalogue),
            "can_edit": access.may(request.user, "catalogue.edit"),
            "copy_form": CopyVersionForm(),
        },
    )


@access.page(access.PUBLIC)
def indicator_detail(request: HttpRequest, version: str, code: str) -> HttpResponse:
    catalogue = _version(request, version)
    try:
        indicator = selectors.indicator_get(catalogue, code)
    except Indicator.DoesNotExist:
        raise Http404 from None
    form = TargetForm(initial={"target": indicator.target}, indicator=indicator)
    return _indicator_page(request, catalogue, indicator, form)


def _indicator_page(
    request: HttpRequest,
    catalogue: CatalogueVersion,
    indicator: Indicator,
    form: TargetForm,
    status: int = 200,
) -> HttpResponse:
    can_edit = access.may(request.user, "catalogue.edit") and not catalogue.is_published
    return render(
        request,
        "catalogue/indicator_detail.html",
        {
            "version": catalogue,
            "indicator": indicator,
            "can_edit": can_edit,
            "target_form": form,
        },
        status=status,
    )


@access.page(access.PUBLIC)
def baseline(request: HttpRequest, version: str) -> HttpResponse:
    catalogue = _version(request, version)
    return render(
        request,
        "catalogue/baseline.html",
        {"version": catalogue, "sections": selectors.baseline_sections(catalogue)},
    )


@access.page(access.PUBLIC)
def governance(request: HttpRequest, version: str) -> HttpResponse:
    catalogue = _version(request, version)
    return render(
        request,
        "catalogue/governance.html",
        {"version": catalogue, "sections": selectors.governance_sections(catalogue)},
    )


@access.page(access.PUBLIC)
def lists(request: HttpRequest, version: str) -> HttpResponse:
    catalogue = _version(request, version)
    return render(
        request,
        "catalogue/lists.html",
        {"version": catalogue, "items": selectors.catalogue_items(catalogue)},
    )


@access.page("catalogue.edit")
@require_POST
def version_copy(request: HttpRequest, version: str) -> HttpResponse:
    source = _version(request, version)
    form = CopyVersionForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("code", []):
            messages.error(request, str(message))
        return redirect("catalogue:version", version=source.code)
    try:
        copy = services.catalogue_copy_version(
            source=source, code=form.cleaned_data["code"], actor=request.user
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("catalogue:version", version=source.code)
    messages.success(request, _("A new draft version was created."))
    return redirect("catalogue:version", version=copy.code)


@access.page("catalogue.edit")
@require_POST
def indicator_target(request: HttpRequest, version: str, code: str) -> HttpResponse:
    catalogue = _version(request, version)
    try:
        indicator = selectors.indicator_get(catalogue, code)
    except Indicator.DoesNotExist:
        raise Http404 from None
    form = TargetForm(request.POST, indicator=indicator)
    if not form.is_valid():
        return _indicator_page(request, catalogue, indicator, form, status=400)
    try:
        services.indicator_set_target(
            indicator=indicator, target=form.cleaned_data["target"], actor=request.user
        )
    except services.TargetInvalid as error:
        form.add_error("target", str(error))
        return _indicator_page(request, catalogue, indicator, form, status=400)
    except services.CatalogueLocked as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The target was saved."))
    return redirect("catalogue:indicator", version=catalogue.code, code=indicator.code)
