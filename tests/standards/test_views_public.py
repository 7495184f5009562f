import datetime

import pytest
from django.urls import reverse

from standards import services
from standards.models import GroupDocument
from tests.factories import AdoptionFactory, EvaluationFactory, GroupProfileFactory, GroupStandardFactory
from tests.standards.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _content(response) -> str:
    return response.content.decode()


# --- standard list ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["T/CNTAC 8-2018", "T/CNTAC 8—2018", "t/cntac 008－2018", "Ｔ／ＣＮＴＡＣ　８－２０１８"]
)
def test_standard_list_finds_a_standard_by_any_written_form_of_its_number(client, cntac, typed):
    target = GroupStandardFactory(issuer=cntac, number_as_typed="T/CNTAC 8—2018", title_zh="针织运动服装")
    GroupStandardFactory(issuer=cntac, number_as_typed="T/CNTAC 80—2018", title_zh="其他")

    response = client.get(reverse("standards:standard_list"), {"q": typed})

    assert list(response.context["page_obj"]) == [target]
    assert "针织运动服装" in _content(response)


def test_standard_list_searches_titles_and_number_fragments(client, cntac):
    knitted = GroupStandardFactory(issuer=cntac, number_as_typed="T/CNTAC 8—2018", title_zh="针织运动服装")
    GroupStandardFactory(issuer=cntac, number_as_typed="T/CNTAC 5—2018", title_zh="生态纺织品", title_en="Eco textiles")

    by_title = client.get(reverse("standards:standard_list"), {"q": "针织"})
    by_fragment = client.get(reverse("standards:standard_list"), {"q": "cntac 008"})
    by_english = client.get(reverse("standards:standard_list"), {"q": "eco"})

    assert list(by_title.context["page_obj"]) == [knitted]
    assert list(by_fragment.context["page_obj"]) == [knitted]
    assert [s.number for s in by_english.context["page_obj"]] == ["T/CNTAC 5—2018"]


@pytest.mark.parametrize("typed", ["name", "short_name", "code"])
def test_standard_list_filters_by_the_group_typed_including_co_issued(client, cntac, group, typed):
    group.organisation.short_name = "示例协会"
    group.organisation.save()
    own = GroupStandardFactory(issuer=group)
    co_issued = GroupStandardFactory(issuer=cntac, co_issuers=[group])
    GroupStandardFactory(issuer=cntac)
    text = {"name": group.organisation.name[1:-1], "short_name": "示例", "code": group.organisation.code.lower()}

    response = client.get(reverse("standards:standard_list"), {"group": text[typed]})

    assert set(response.context["page_obj"]) == {own, co_issued}


def test_standard_list_renders_no_list_of_every_group(client, cntac):
    """The group is typed: the page does not grow with the registry's groups."""
    GroupStandardFactory(issuer=cntac)
    GroupProfileFactory.create_batch(3)

    response = client.get(reverse("standards:standard_list"))

    assert "<option" not in response.content.decode().split('name="group"')[1].split("</div>")[0]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "abolished"}, ["T/CNTAC 2—2016"]),
        ({"year": "2016"}, ["T/CNTAC 2—2016"]),
        ({"ics": "59.080"}, ["T/CNTAC 1—2020"]),
        ({"ccs": "w04"}, ["T/CNTAC 1—2020"]),
        ({"type": "innovative"}, ["T/CNTAC 1—2020"]),
        ({"type": "advanced"}, ["T/CNTAC 2—2016"]),
        ({"type": "international"}, []),
    ],
)
def test_standard_list_filters(client, cntac, params, expected):
    GroupStandardFactory(issuer=cntac, number_as_typed="T/CNTAC 1—2020", ics="59.080.01", ccs="W04", fills_gap=True)
    GroupStandardFactory(
        issuer=cntac,
        number_as_typed="T/CNTAC 2—2016",
        ics="13.040",
        ccs="Z25",
        status="abolished",
        publication_date=datetime.date(2016, 1, 1),
        implementation_date=datetime.date(2016, 2, 1),
        repeal_date=datetime.date(2020, 1, 1),
        stricter_than="GB 1—2010",
    )

    response = client.get(reverse("standards:standard_list"), params)

    assert [standard.number for standard in response.context["page_obj"]] == expected


def test_standard_list_paginates_twenty_a_page(client, cntac):
    GroupStandardFactory.create_batch(21, issuer=cntac)

    first = client.get(reverse("standards:standard_list"))
    second = client.get(reverse("standards:standard_list"), {"page": 2})

    assert (len(first.context["page_obj"]), len(second.context["page_obj"])) == (20, 1)
    assert "?page=2" in _content(first)


def test_standard_list_answers_htmx_with_the_results_only(client, cntac):
    GroupStandardFactory(issuer=cntac, title_zh="针织运动服装")

    response = client.get(reverse("standards:standard_list"), {"q": "针织"}, headers={"HX-Request": "true"})

    assert _content(response).lstrip().startswith('<section id="results"')
    assert "针织运动服装" in _content(response)


def test_standard_list_says_when_nothing_matches(client):
    response = client.get(reverse("standards:standard_list"), {"q": "不存在"})

    assert "No group standard matches this search." in _content(response)


def test_standard_list_offers_adding_to_group_staff_and_importing_to_the_secretariat(client, group_staff, secretariat):
    add, import_ = reverse("standards:standard_create"), reverse("standards:standard_import")

    anonymous = _content(client.get(reverse("standards:standard_list")))
    client.force_login(group_staff)
    staff = _content(client.get(reverse("standards:standard_list")))
    client.force_login(secretariat)
    secretariat_page = _content(client.get(reverse("standards:standard_list")))

    assert (add in anonymous, import_ in anonymous) == (False, False)
    assert (add in staff, import_ in staff) == (True, False)
    assert (add in secretariat_page, import_ in secretariat_page) == (True, True)


@pytest.mark.parametrize("rows", [1, 20])
def test_standard_list_query_count_does_not_grow_with_rows(client, cntac, django_assert_num_queries, rows):
    for _ in range(rows):
        GroupStandardFactory(issuer=cntac, co_issuers=[GroupProfileFactory()])

    # The count and the page of standards with their issuers (the group filter is typed: no choices to list).
    with django_assert_num_queries(2):
        response = client.get(reverse("standards:standard_list"))

    assert len(response.context["page_obj"]) == rows


# --- standard detail --------------------------------------------------------------------------------


def test_standard_detail_shows_particulars_adoptions_evaluations_and_projects(client, cntac):
    standard = GroupStandardFactory(
        issuer=cntac, number_as_typed="T/CNTAC 5-2018", stricter_than="GB 18401—2010", title_zh="纺织品 生态安全"
    )
    AdoptionFactory(standard=standard, title="国家标准计划《纺织品 生态安全技术规范》")
    EvaluationFactory(standard=standard, evaluator="中国标准化研究院", legality_comment="程序合法")

    content = _content(client.get(standard.get_absolute_url()))

    for text in [
        "T/CNTAC 5-2018",  # as the group published it; the normal form (T/CNTAC 5—2018) is for look-up only
        "纺织品 生态安全",
        "Stricter than GB 18401—2010",
        "Advanced (先进性)",
        "国家标准计划《纺织品 生态安全技术规范》",
        "中国标准化研究院",
        "程序合法",
        "This standard belongs to no demonstration project yet.",
    ]:
        assert text in content
    assert "T/CNTAC 5—2018" not in content


def test_standard_detail_links_replaced_and_replacing_standards(client, cntac):
    new = GroupStandardFactory(issuer=cntac, number_as_typed="T/CNTAC 5—2018")
    old = GroupStandardFactory(
        issuer=cntac,
        number_as_typed="T/CNTAC 5—2016",
        publication_date=datetime.date(2016, 1, 1),
        implementation_date=datetime.date(2016, 2, 1),
    )
    services.update_standard(standard=old, status="replaced", replaced_by=new, repeal_date=datetime.date(2018, 5, 1))

    old_page = _content(client.get(old.get_absolute_url()))
    new_page = _content(client.get(new.get_absolute_url()))

    assert f'<a href="{new.get_absolute_url()}">T/CNTAC 5—2018</a>' in old_page
    assert f'<a href="{old.get_absolute_url()}">T/CNTAC 5—2016</a>' in new_page


@pytest.mark.parametrize("rows", [1, 20])
def test_standard_detail_query_count_does_not_grow_with_records(client, cntac, django_assert_num_queries, rows):
    standard = GroupStandardFactory(issuer=cntac, co_issuers=GroupProfileFactory.create_batch(rows))
    AdoptionFactory.create_batch(rows, standard=standard)
    EvaluationFactory.create_batch(rows, standard=standard)

    # The standard with issuer and successor, then co-issuers, adoptions, evaluations, replaced standards, and the
    # announced demonstration projects built on it (the public register's).
    with django_assert_num_queries(6):
        response = client.get(standard.get_absolute_url())

    assert len(response.context["standard"].adoptions.all()) == rows


def test_standard_detail_of_an_unknown_standard_is_404(client):
    response = client.get(reverse("standards:standard_detail", args=[999_999]))

    assert response.status_code == 404
    assert "T/" not in _content(response)


# --- downloads --------------------------------------------------------------------------------------


def test_public_full_text_downloads_for_anyone(client, cntac):
    standard = GroupStandardFactory(
        issuer=cntac, number_as_typed="T/CNTAC 8—2018", full_text=pdf_upload(), full_text_public=True
    )

    response = client.get(reverse("standards:standard_full_text", args=[standard.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_non_public_full_text_is_404_for_the_public_and_other_groups(client, cntac, other_staff):
    standard = GroupStandardFactory(issuer=cntac, full_text=pdf_upload(), full_text_public=False)
    url = reverse("standards:standard_full_text", args=[standard.pk])

    anonymous = client.get(url)
    client.force_login(other_staff)
    other = client.get(url)

    assert (anonymous.status_code, other.status_code) == (404, 404)
    assert "Not public" in _content(client.get(standard.get_absolute_url()))


def test_non_public_full_text_downloads_for_the_issuers_staff(client, group, group_staff):
    standard = GroupStandardFactory(issuer=group, full_text=pdf_upload(), full_text_public=False)
    client.force_login(group_staff)

    response = client.get(reverse("standards:standard_full_text", args=[standard.pk]))

    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_missing_full_text_is_404(client, cntac):
    standard = GroupStandardFactory(issuer=cntac)

    response = client.get(reverse("standards:standard_full_text", args=[standard.pk]))

    assert response.status_code == 404
    assert "Not available" in _content(client.get(standard.get_absolute_url()))


def test_evaluation_report_downloads_only_under_its_own_standard(client, cntac):
    evaluation = EvaluationFactory(standard=GroupStandardFactory(issuer=cntac), report=pdf_upload())
    other = GroupStandardFactory(issuer=cntac)

    right = client.get(reverse("standards:evaluation_report", args=[evaluation.standard_id, evaluation.pk]))
    wrong = client.get(reverse("standards:evaluation_report", args=[other.pk, evaluation.pk]))

    assert b"".join(right.streaming_content).startswith(b"%PDF-")
    assert wrong.status_code == 404


# --- groups -----------------------------------------------------------------------------------------


def test_group_list_shows_groups_with_their_standard_counts(client, cntac):
    GroupStandardFactory.create_batch(2, issuer=cntac)

    response = client.get(reverse("standards:group_list"))

    row = next(group for group in response.context["page_obj"] if group.pk == cntac.pk)
    assert row.standard_count == 2
    assert "中国纺织工业联合会" in _content(response)


def test_group_list_searches_by_name_or_code(client, cntac, group):
    by_code = client.get(reverse("standards:group_list"), {"q": "cntac"})
    by_name = client.get(reverse("standards:group_list"), {"q": "纺织工业"})

    assert list(by_code.context["page_obj"]) == [cntac]
    assert list(by_name.context["page_obj"]) == [cntac]


@pytest.mark.parametrize("rows", [1, 20])
def test_group_list_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    for group in GroupProfileFactory.create_batch(rows):
        GroupStandardFactory(issuer=group)

    with django_assert_num_queries(2):  # the count, the page of groups with their standard counts
        response = client.get(reverse("standards:group_list"))

    assert len(response.context["page_obj"]) == rows


def test_group_detail_shows_record_documents_and_standards(client, cntac, group):
    GroupStandardFactory(issuer=cntac, title_zh="纺织品 生态安全")
    GroupStandardFactory(issuer=group, co_issuers=[cntac], title_zh="联合标准")
    for day in (datetime.date(2018, 1, 20), datetime.date(2022, 3, 1)):
        services.publish_group_document(
            group=cntac, kind=GroupDocument.Kind.PROCEDURE, version_date=day, file=pdf_upload()
        )

    response = client.get(cntac.get_absolute_url())

    content = _content(response)
    for text in [
        "中国纺织工业联合会",
        cntac.registration_number,
        "纺织品 生态安全",
        "联合标准",
        "2022-03-01",
        "2018-01-20",
    ]:
        assert text in content
    assert [d.version_date for d in response.context["documents"]["procedure"]] == [
        datetime.date(2022, 3, 1),
        datetime.date(2018, 1, 20),
    ]
    assert "Not published yet." in content  # no patent policy


@pytest.mark.parametrize("rows", [1, 20])
def test_group_detail_query_count_does_not_grow_with_rows(client, cntac, django_assert_num_queries, rows):
    GroupStandardFactory.create_batch(rows, issuer=cntac)
    for _ in range(rows):
        services.publish_group_document(
            group=cntac, kind=GroupDocument.Kind.PROCEDURE, version_date=datetime.date(2020, 1, 1), file=pdf_upload()
        )

    with django_assert_num_queries(4):  # the group, its documents, the standards' count and page
        response = client.get(cntac.get_absolute_url())

    assert len(response.context["page_obj"]) == rows


def test_group_document_downloads_for_anyone(client, cntac):
    document = services.publish_group_document(
        group=cntac, kind=GroupDocument.Kind.PATENT_POLICY, version_date=datetime.date(2020, 1, 1), file=pdf_upload()
    )

    response = client.get(reverse("standards:group_document", args=[cntac.pk, document.pk]))

    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_group_document_under_another_group_is_404(client, cntac, group):
    document = services.publish_group_document(
        group=cntac, kind=GroupDocument.Kind.PATENT_POLICY, version_date=datetime.date(2020, 1, 1), file=pdf_upload()
    )

    response = client.get(reverse("standards:group_document", args=[group.pk, document.pk]))

    assert response.status_code == 404


def test_standard_list_shows_invalid_filters_as_errors_rather_than_failing(client, cntac):
    GroupStandardFactory(issuer=cntac)

    response = client.get(
        reverse("standards:standard_list"), {"year": "soon", "status": "999999", "type": "x", "page": "last"}
    )

    assert set(response.context["filter"].errors) == {"year", "status", "type"}
    assert len(response.context["page_obj"]) == 1
