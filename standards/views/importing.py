"""The secretariat's imports from a CSV or XLSX file, group standards and social groups, and their templates."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from portal.views import imports
from portal.views.imports import ImportPage
from standards import permissions
from standards.importing import GROUP_COLUMNS, STANDARD_COLUMNS, import_groups, import_standards

STANDARDS = ImportPage(
    columns=STANDARD_COLUMNS,
    run=import_standards,
    allowed=permissions.can_import,
    page="standards/standard_import.html",
    example={
        "number": "T/CNTAC 8—2018",
        "title_zh": "针织运动服装 吸湿速干性能要求",
        "title_en": "Knitted sportswear — Requirements for moisture absorption and quick drying",
        "group": "CNTAC",
        "status": "现行",
        "ics": "59.080.30",
        "ccs": "W64",
        "industry_class": "C1762",
        "publication_date": "2018-06-01",
        "implementation_date": "2018-07-01",
        "has_patents": "否",
        "fills_gap": "否",
        "stricter_than": "GB/T 21655.1—2008",
        "internationally_leading": "否",
    },
    download_name="group-standards-template.csv",
)

# Importing groups registers them: the same right as registering one by one.
GROUPS = ImportPage(
    columns=GROUP_COLUMNS,
    run=import_groups,
    allowed=permissions.can_register_group,
    page="standards/group_import.html",
    example={
        "name": "中国示例标准化协会",
        "credit_code": "51100000MJ00000015",  # fictitious, with a valid check character
        "registration_authority": "中华人民共和国民政部",
        "business_scope": "团体标准制定、技术交流、培训咨询。",
        "legal_representative": "张明",
        "supporting_unit": "中国示例研究院",
        "address": "北京市海淀区示例路 1 号",
        "postcode": "100081",
        "code": "CSAX",
        "social_group_type": "协会",
    },
    download_name="social-groups-template.csv",
)


@login_required
def standard_import(request: HttpRequest) -> HttpResponse:
    return imports.import_page(request, STANDARDS)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    return imports.import_template(request, STANDARDS)


@login_required
def group_import(request: HttpRequest) -> HttpResponse:
    return imports.import_page(request, GROUPS)


@login_required
def group_import_template(request: HttpRequest) -> HttpResponse:
    return imports.import_template(request, GROUPS)
