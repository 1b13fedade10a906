"""Survey pages: the public list and results, the child's answer page (no JavaScript, one
question per step, relevance decided on the server), and the managers' pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from meirim.accounts import access
from meirim.common.suppression import label
from meirim.geography.models import Municipality
from meirim.surveys import answers as answering
from meirim.surveys import charts, importing, selectors, services, xlsform
from meirim.surveys.forms import ImportForm, SurveyUploadForm, question_form
from meirim.surveys.models import Survey
from meirim.voice.limits import allow

EXAMPLE = Path(__file__).resolve().parent / "demo" / "playground.xlsx"


# --- Public ------------------------------------------------------------------------------


@access.page(access.PUBLIC)
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.public_surveys()
    managed = (
        access.municipalities_where(request.user, "surveys.manage").order_by("code")[:50]
        if access.may(request.user, "surveys.manage")
        else []
    )
    return render(
        request,
        "surveys/list.html",
        {
            "surveys": surveys,
            "managed": managed,
            "municipalities": Municipality.objects.order_by("code"),
            "accepting": {s.pk for s in surveys if services.accepting_answers(s)},
        },
    )


@access.page(access.PUBLIC)
def example(request: HttpRequest) -> FileResponse:
    return FileResponse(
        EXAMPLE.open("rb"),
        as_attachment=True,
        filename="meirim-survey-example.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _present(results: selectors.SurveyResults) -> list[dict[str, Any]]:
    """The results as the templates draw them: a chart and a table per question."""
    definition = results.survey.definition
    periods = []
    for period in results.periods:
        items = []
        for result in period.questions:
            item = result.question
            title = answering.text_in(item["label"], definition) or item["name"]
            entry: dict[str, Any] = {
                "name": item["name"],
                "title": title,
                "type": item["type"],
                "texts": result.texts,
                "answered": result.answered,
                "mean": result.mean,
            }
            if result.table is not None:
                names = {
                    c["name"]: answering.text_in(c["label"], definition) or c["name"]
                    for c in item.get("choices", [])
                }
                names[selectors.NO_ANSWER] = _("No answer")
                rows = [(names.get(key, key), count) for key, count in result.table.cells.items()]
                entry["rows"] = [(name, label(count)) for name, count in rows]
                entry["total"] = label(result.table.total)
                entry["chart"] = charts.bar_chart(rows, title=title)
            items.append(entry)
        periods.append(
            {
                "code": period.code,
                "respondents": label(period.respondents),
                "too_few": period.too_few,
                "questions": items,
            }
        )
    return periods


@access.page(access.PUBLIC)
def results(request: HttpRequest, survey: int) -> HttpResponse:
    found = get_object_or_404(selectors.public_surveys(), pk=survey)
    outcome = selectors.survey_results(found)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": found,
            "results": outcome,
            "periods": _present(outcome),
            "respondents": label(outcome.respondents),
            "has_text": any(q["type"] == "text" for q in answering.asked(found.definition)),
        },
    )


@access.page(access.PUBLIC)
def choose(request: HttpRequest, survey: int) -> HttpResponse:
    """A national survey: the child picks their city first."""
    found = get_object_or_404(selectors.public_surveys(), pk=survey)
    code = request.GET.get("municipality", "")
    if found.municipality_id is not None:
        return redirect("surveys:answer", found.pk, found.municipality.code)  # type: ignore[union-attr]
    if code and Municipality.objects.filter(code=code).exists():
        return redirect("surveys:answer", found.pk, code)
    return render(
        request,
        "surveys/choose.html",
        {"survey": found, "municipalities": Municipality.objects.order_by("code")},
    )


def _session_key(survey: Survey, municipality: Municipality) -> str:
    return f"survey:{survey.pk}:{municipality.code}"


@access.page(access.PUBLIC)
def answer(request: HttpRequest, survey: int, municipality: str) -> HttpResponse:
    found = get_object_or_404(selectors.public_surveys(), pk=survey)
    town = get_object_or_404(Municipality, code=municipality)
    if not services.answered_in(found, town):
        raise Http404
    definition = found.definition
    key = _session_key(found, town)
    state = request.session.get(key) or {}
    context: dict[str, Any] = {"survey": found, "municipality": town}
    if state.get("done"):
        request.session.pop(key, None)
        return render(request, "surveys/thanks.html", context)
    if not services.accepting_answers(found):
        return render(request, "surveys/not_open.html", context)
    items = answering.asked(definition)
    saved: dict[str, Any] = state.get("answers", {})
    step = state.get("step")
    if step is None:
        step = answering.next_step(definition, saved, -1)
        step = len(items) if step is None else step
    here = request.path
    error = ""
    if request.method == "POST":
        go = request.POST.get("go", "next")
        if go == "back":
            step = max(0, answering.previous_step(definition, saved, step))
        elif go == "send":
            if not allow(request, "survey"):
                return render(request, "surveys/limited.html", context, status=429)
            try:
                services.response_record(
                    found, municipality=town, raw=answering.relevant_only(definition, saved)
                )
            except services.Refused as refusal:
                messages.error(request, str(refusal))
                return redirect(here)
            except ValidationError as problems:
                names = [name for name in problems.message_dict if name != "answers"]
                first = next((i for i, item in enumerate(items) if item["name"] in names), step)
                request.session[key] = {"answers": saved, "step": first}
                messages.error(request, _("Please check this answer."))
                return redirect(here)
            request.session[key] = {"done": True}
            return redirect(here)
        elif step < len(items):
            item = items[step]
            raw: Any = (
                request.POST.getlist("answer")
                if item["type"] == "select_multiple"
                else request.POST.get("answer", "")
            )
            try:
                value = answering.clean_one(item, raw, saved)
            except ValueError as problem:
                error = str(problem)
            else:
                if value is None:
                    saved.pop(item["name"], None)
                else:
                    saved[item["name"]] = value
                saved = answering.relevant_only(definition, saved)
                following = answering.next_step(definition, saved, step)
                step = len(items) if following is None else following
        if not error:
            request.session[key] = {"answers": saved, "step": step}
            return redirect(here)
    request.session[key] = {"answers": saved, "step": step}
    context["notes"] = [
        answering.text_in(note["label"], definition)
        for note in answering.notes_before(definition, saved, step)
    ]
    context["position"] = (
        sum(1 for i in range(min(step, len(items))) if items[i]["name"] in saved) + 1
    )
    context["can_go_back"] = answering.previous_step(definition, saved, step) >= 0
    if step >= len(items):
        return render(request, "surveys/answer_send.html", context)
    item = items[step]
    if error:
        form = question_form(definition, item, data=request.POST)
    else:
        form = question_form(definition, item, initial={"answer": saved.get(item["name"])})
    context.update(form=form, item=item, error=error)
    return render(request, "surveys/answer.html", context)


# --- The managers' pages -----------------------------------------------------------------


def _managed(user: Any, municipality: Municipality, survey: int) -> Survey:
    found = get_object_or_404(
        Survey.objects.filter(Q(municipality=municipality) | Q(municipality=None)), pk=survey
    )
    if not services.may_manage(user, found):
        raise PermissionDenied
    return found


@access.page("surveys.manage", municipality="municipality")
def manage(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    national = services.may_manage_national(request.user)
    surveys = selectors.managed_surveys(municipality, national=True)
    return render(
        request,
        "surveys/manage.html",
        {
            "municipality": municipality,
            "surveys": surveys,
            "national": national,
        },
    )


@access.page("surveys.manage", municipality="municipality")
def add(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    national = services.may_manage_national(request.user)
    form = SurveyUploadForm(
        request.POST or None, request.FILES or None, municipality=municipality, national=national
    )
    problems: list[xlsform.Problem] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            survey = services.survey_create(
                municipality=None if data.get("national") else municipality,
                content=upload.read(),
                filename=upload.name,
                actor=request.user,
                title=data["title"],
                facility=data["facility"],
                action=data["action"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )
        except xlsform.XLSFormRejected as rejected:
            problems = rejected.problems
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, _("The survey was created as a draft. Check it, then publish it.")
            )
            return redirect("surveys:detail", municipality.code, survey.pk)
    return render(
        request,
        "surveys/add.html",
        {"municipality": municipality, "form": form, "problems": problems},
    )


@access.page("surveys.manage", municipality="municipality")
def detail(request: HttpRequest, municipality: Municipality, survey: int) -> HttpResponse:
    found = _managed(request.user, municipality, survey)
    outcome = selectors.survey_results(found, private=True)
    definition = found.definition
    questions = [
        {
            "name": q["name"],
            "type": q["type"],
            "label": answering.text_in(q["label"], definition),
            "required": q["required"],
            "relevant": q["relevant"],
            "languages": sorted(q["label"]),
        }
        for q in answering.questions(definition)
    ]
    return render(
        request,
        "surveys/detail.html",
        {
            "municipality": municipality,
            "survey": found,
            "questions": questions,
            "periods": _present(outcome),
            "respondents": label(outcome.respondents),
            "results": outcome,
            "import_form": ImportForm(),
            "answer_url": reverse("surveys:answer", args=[found.pk, municipality.code]),
        },
    )


def _transition(
    request: HttpRequest, municipality: Municipality, survey: int, verb: str
) -> HttpResponse:
    found = _managed(request.user, municipality, survey)
    change = services.survey_publish if verb == "publish" else services.survey_close
    try:
        change(found, actor=request.user)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("The survey is open for answers.")
            if verb == "publish"
            else _("The survey is closed."),
        )
    return redirect("surveys:detail", municipality.code, found.pk)


@require_POST
@access.page("surveys.manage", municipality="municipality")
def publish(request: HttpRequest, municipality: Municipality, survey: int) -> HttpResponse:
    return _transition(request, municipality, survey, "publish")


@require_POST
@access.page("surveys.manage", municipality="municipality")
def close(request: HttpRequest, municipality: Municipality, survey: int) -> HttpResponse:
    return _transition(request, municipality, survey, "close")


@access.page("surveys.manage", municipality="municipality")
def import_responses(request: HttpRequest, municipality: Municipality, survey: int) -> HttpResponse:
    found = _managed(request.user, municipality, survey)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[importing.CellProblem] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = services.responses_import(
                found,
                municipality=municipality,
                content=form.cleaned_data["file"].read(),
                actor=request.user,
            )
        except importing.ImportRefused as refused:
            problems = refused.problems
        except services.Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s response was imported.", "%(count)s responses were imported.", count
                )
                % {"count": count},
            )
            return redirect("surveys:detail", municipality.code, found.pk)
    return render(
        request,
        "surveys/import.html",
        {"municipality": municipality, "survey": found, "form": form, "problems": problems[:500]},
    )
