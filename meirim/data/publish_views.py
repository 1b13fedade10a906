"""The page that publishes a catalogue version, after stating what happens to the data.

Publishing cannot be undone and moves every page to the new version, carrying the cities'
data of unchanged items over to it. So the page first shows the consequences (GET) and acts
only on a POST that confirms them. It belongs to the data app because it reads and writes the
cities' data, which the catalogue below it may not import; its address stays under the
catalogue (``config/urls.py``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from meirim.accounts import access
from meirim.catalogue import selectors as catalogue_selectors
from meirim.catalogue.models import CatalogueVersion
from meirim.catalogue.services import CatalogueLocked
from meirim.data.publication import publish_plan
from meirim.data.services.publish import catalogue_version_publish


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I have read the consequences above and want to publish this version."),
        error_messages={
            "required": gettext_lazy("Confirm that you want to publish: nothing was published.")
        },
    )


@access.page("catalogue.edit")
@require_http_methods(["GET", "POST"])
def version_publish(request: HttpRequest, version: str) -> HttpResponse:
    try:
        catalogue = catalogue_selectors.versions_visible_to(request.user).get(code=version)
    except CatalogueVersion.DoesNotExist:
        raise Http404 from None
    if catalogue.is_published:
        messages.error(request, _("This catalogue version is already published."))
        return redirect("catalogue:version", version=catalogue.code)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            result = catalogue_version_publish(version=catalogue, actor=request.user)
        except CatalogueLocked as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The version is published and can no longer change."))
            if result.source is not None:
                messages.success(
                    request,
                    _(
                        "%(values)s values of %(municipalities)s municipalities were carried "
                        "over from version %(source)s."
                    )
                    % {
                        "values": result.observations,
                        "municipalities": result.municipalities,
                        "source": result.source.code,
                    },
                )
        return redirect("catalogue:version", version=catalogue.code)
    return render(
        request,
        "catalogue/publish_confirm.html",
        {"version": catalogue, "plan": publish_plan(catalogue), "form": form},
        status=400 if form.is_bound else 200,
    )
