"""The PDFs of Phase 2, through WeasyPrint: a submitted recognition portfolio (drawn from its
frozen JSON alone) and a published decision summary, in the reader's language. Built by the
``recognition_document_build`` task and cached per application × kind × version × language.

Neither ever contains anything of the community report: they are drawn from the snapshot
and the decision, which do not hold it.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from meirim.recognition.models import Application, PortfolioSnapshot, RecognitionDocument

TEMPLATES = {
    RecognitionDocument.Kind.PORTFOLIO: "recognition/pdf/portfolio.html",
    RecognitionDocument.Kind.DECISION: "recognition/pdf/decision.html",
}


def document_request(
    *, application: Application, kind: str, language: str, number: int = 0
) -> RecognitionDocument:
    """The PDF asked for; enqueues its build when it is not built yet (or failed)."""
    document, created = RecognitionDocument.objects.get_or_create(
        application=application, kind=kind, number=number, language=language
    )
    if created or document.state == RecognitionDocument.State.FAILED:
        if not created:
            document.state = RecognitionDocument.State.PENDING
            document.error = ""
            document.save(update_fields=["state", "error"])
        # The task's row is written in the caller's transaction: the worker sees it on commit.
        recognition_document_build.enqueue(document.pk)
        document.refresh_from_db()
    return document


def document_html(document: RecognitionDocument) -> str:
    application = document.application
    context: dict[str, Any] = {
        "application": application,
        "municipality": application.municipality,
        "cycle": application.cycle,
        "language": document.language,
    }
    if document.kind == RecognitionDocument.Kind.PORTFOLIO:
        snapshot = PortfolioSnapshot.objects.get(application=application, number=document.number)
        context.update(snapshot=snapshot, content=snapshot.content)
    else:
        decision = application.decision
        context.update(
            decision=decision,
            criterion_reasons=list(decision.criterion_reasons.select_related("criterion")),
            recognition=getattr(decision, "recognition", None),
        )
    with translation.override(document.language):
        return render_to_string(TEMPLATES[RecognitionDocument.Kind(document.kind)], context)


@task()
def recognition_document_build(document_id: int) -> str:
    """Build the PDF of :class:`RecognitionDocument` ``document_id``; its final state."""
    from weasyprint import HTML

    document = (
        RecognitionDocument.objects.select_related(
            "application__municipality", "application__cycle"
        )
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        return "gone"
    if document.state == RecognitionDocument.State.READY and document.file:
        return document.state
    try:
        data = HTML(string=document_html(document)).write_pdf()
    except Exception as error:  # the page shows the failure and offers to try again
        document.state = RecognitionDocument.State.FAILED
        document.error = str(error)[:2000]
        document.save(update_fields=["state", "error"])
        return document.state
    application = document.application
    name = (
        f"{application.municipality.code}-{application.cycle_id}-{document.kind}"
        f"-{document.number}-{document.language}.pdf"
    )
    document.file.save(name, ContentFile(data), save=False)
    document.state = RecognitionDocument.State.READY
    document.built_at = timezone.now()
    document.error = ""
    document.save(update_fields=["file", "state", "built_at", "error"])
    return document.state
