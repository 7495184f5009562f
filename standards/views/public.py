"""Pages anyone may read: the registry of group standards and of the social groups that issue them."""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from portal.public_cache import public_page
from portal.views.helpers import fetch, paginate
from standards import permissions, selectors
from standards.files import pdf_response
from standards.models import Evaluation, GroupDocument, GroupStandard


@public_page("registry")
def standard_list(request: HttpRequest) -> HttpResponse:
    search = selectors.standard_search(params=request.GET)
    context = {
        "filter": search,
        "page_obj": paginate(request, search.qs),
        "can_add": request.user.is_authenticated and selectors.editable_groups(request.user).exists(),
        "can_import": permissions.can_import(request.user),
    }
    template = "standards/standard_list.html"
    # htmx live search swaps only the results, so the field being typed in keeps its focus.
    return render(request, f"{template}#results" if request.htmx else template, context)


@public_page("registry")
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = fetch(selectors.standards_with_details(), pk=pk, user=request.user)
    context = {
        "standard": standard,
        "projects": selectors.demonstration_projects(standard),
        "can_edit": permissions.can_edit_standard(request.user, standard),
        "can_see_full_text": permissions.can_see_full_text(request.user, standard),
    }
    return render(request, "standards/standard_detail.html", context)


def standard_full_text(request: HttpRequest, pk: int) -> FileResponse:
    standard = fetch(
        GroupStandard.objects.select_related("issuer__organisation"),
        pk=pk,
        user=request.user,
        can_see=permissions.can_see_full_text,
    )
    return pdf_response(standard.full_text, download_name=standard.display_number)


def evaluation_report(request: HttpRequest, pk: int, evaluation_pk: int) -> FileResponse:
    evaluation = fetch(
        Evaluation.objects.select_related("standard"), pk=evaluation_pk, standard_id=pk, user=request.user
    )
    return pdf_response(evaluation.report, download_name=f"{evaluation.standard.display_number} {evaluation.evaluator}")


@public_page("registry")
def group_list(request: HttpRequest) -> HttpResponse:
    search = selectors.group_search(params=request.GET)
    context = {
        "filter": search,
        "page_obj": paginate(request, search.qs),
        "can_register": permissions.can_register_group(request.user),
    }
    return render(request, "standards/group_list.html", context)


@public_page("registry")
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = fetch(selectors.groups_with_profile(), pk=pk, user=request.user)
    can_edit = permissions.can_edit_group(request.user, group)
    context = {
        "group": group,
        "documents": selectors.published_documents(group),
        "page_obj": paginate(request, selectors.group_standards(group)),
        "can_edit": can_edit,
    }
    return render(request, "standards/group_detail.html", context)


def group_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    document = fetch(
        GroupDocument.objects.select_related("group__organisation"), pk=document_pk, group_id=pk, user=request.user
    )
    name = f"{document.group.code} {document.get_kind_display()} {document.version_date:%Y-%m-%d}"
    return pdf_response(document.file, download_name=name)
