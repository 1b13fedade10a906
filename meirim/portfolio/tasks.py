"""Background work of the portfolio, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from meirim.portfolio.models import PortfolioDocument


@task()
def document_build(document_id: int) -> str:
    """Build the PDF of :class:`PortfolioDocument` ``document_id``; its final state."""
    from meirim.portfolio.pdf import document_pdf

    document = (
        PortfolioDocument.objects.select_related("version__portfolio__municipality")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        return "gone"
    if document.state == PortfolioDocument.State.READY and document.file:
        return document.state
    try:
        data = document_pdf(document.version, document.kind, document.language)
    except Exception as error:
        document.state = PortfolioDocument.State.FAILED
        document.error = str(error)[:2000]
        document.save(update_fields=["state", "error"])
        return document.state
    municipality = document.version.portfolio.municipality.code
    name = f"{municipality}-v{document.version.number}-{document.kind}-{document.language}.pdf"
    document.file.save(name, ContentFile(data), save=False)
    document.state = PortfolioDocument.State.READY
    document.built_at = timezone.now()
    document.error = ""
    document.save(update_fields=["file", "state", "built_at", "error"])
    return document.state
