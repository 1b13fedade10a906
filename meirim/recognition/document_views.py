"""The PDFs of a submitted recognition portfolio (for those who may read the application)
and of a published decision summary (public)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language

from meirim.accounts import access
from meirim.geography.models import Municipality
from meirim.recognition.documents import document_request
from meirim.recognition.models import (
    Application,
    Decision,
    PortfolioSnapshot,
    RecognitionDocument,
)


def _serve(
    request: HttpRequest, document: RecognitionDocument, filename: str, back: str
) -> HttpResponseBase:
    if document.state == RecognitionDocument.State.READY and document.file:
        return FileResponse(
            document.file.open("rb"),
            content_type="application/pdf",
            as_attachment=False,
            filename=filename,
        )
    return render(
        request, "recognition/documents/pending.html", {"document": document, "back": back}
    )


def _back(name: str, *args: object) -> str:
    return reverse(name, args=args)


@access.page("recognition.read", municipality="municipality")
def portfolio_pdf(
    request: HttpRequest, municipality: Municipality, application: int, number: int
) -> HttpResponseBase:
    found = get_object_or_404(Application, pk=application, municipality=municipality)
    if not PortfolioSnapshot.objects.filter(application=found, number=number).exists():
        raise Http404
    language = (get_language() or "en")[:2]
    document = document_request(
        application=found,
        kind=RecognitionDocument.Kind.PORTFOLIO,
        number=number,
        language=language,
    )
    filename = f"{municipality.code}-recognition-{found.cycle_id}-v{number}-{language}.pdf"
    return _serve(
        request,
        document,
        filename,
        _back("recognition:snapshot", municipality.code, found.pk, number),
    )


@access.page(access.PUBLIC)
def decision_pdf(request: HttpRequest, application: int) -> HttpResponseBase:
    decision = (
        Decision.objects.filter(application_id=application)
        .select_related("application__municipality")
        .first()
    )
    if decision is None:
        raise Http404
    language = (get_language() or "en")[:2]
    document = document_request(
        application=decision.application, kind=RecognitionDocument.Kind.DECISION, language=language
    )
    code = decision.application.municipality.code
    filename = f"{code}-decision-{decision.application.cycle_id}-{language}.pdf"
    return _serve(request, document, filename, _back("recognition:decision_summary", application))
