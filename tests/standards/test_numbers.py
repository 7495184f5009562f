import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from standards.numbers import (
    EM_DASH,
    InvalidNumberError,
    StandardNumber,
    canonical_characters,
    normalise_number,
    parse_number,
)
from tests.factories import GroupProfileFactory, GroupStandardFactory, SocialGroupFactory


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("T/CNTAC 8-2018", "T/CNTAC 8—2018"),
        ("T/CNTAC 5—2018", "T/CNTAC 5—2018"),
        ("T/CTES 1046—2021", "T/CTES 1046—2021"),
        ("T/CPIA 0028.2—2024", "T/CPIA 28.2—2024"),
        ("T/GZAEPI 001—2018", "T/GZAEPI 1—2018"),
        ("T/CAS 290—2017", "T/CAS 290—2017"),
    ],
)
def test_normalise_number_reads_the_issues_real_examples(typed, normal):
    assert normalise_number(typed) == normal


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("T/CECS 1234567—2023", "T/CECS 1234567—2023"),
        ("T/ZZB 2101001-2021", "T/ZZB 2101001—2021"),
        ("t/zzb 2101001——2021", "T/ZZB 2101001—2021"),
        ("Ｔ／ＺＺＢ　２１０１００１－２０２１", "T/ZZB 2101001—2021"),
        ("T/ZZB2101001-2021", "T/ZZB 2101001—2021"),
        ("T/CECS 0012345—2023", "T/CECS 12345—2023"),  # seven written, zero-padded
        ("T/CECS 1234567.2—2023", "T/CECS 1234567.2—2023"),
        ("T/CAS 115.1—2020", "T/CAS 115.1—2020"),
        ("T/CAS/Z 1000001—2022", "T/CAS/Z 1000001—2022"),
    ],
)
def test_normalise_number_reads_seven_digit_sequences(typed, normal):
    assert normalise_number(typed) == normal


def test_parse_number_returns_the_parts_of_a_seven_digit_sequence():
    assert parse_number("T/ZZB 2101001—2021") == StandardNumber(code="ZZB", sequence=2101001, part=None, year=2021)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["T/ZZB 2101001—2021", "t/zzb 2101001-2021", "Ｔ／ＺＺＢ　２１０１００１－２０２１"])
def test_standard_list_finds_a_seven_digit_number_in_any_written_form(client, typed):
    zzb = GroupProfileFactory(organisation=SocialGroupFactory(code="ZZB", name="浙江省品牌建设联合会"))
    target = GroupStandardFactory(issuer=zzb, number_as_typed="T/ZZB 2101001-2021", title_zh="家用燃气灶具")
    GroupStandardFactory(issuer=zzb, number_as_typed="T/ZZB 2101002—2021", title_zh="家用吸油烟机")
    GroupStandardFactory(issuer=zzb, number_as_typed="T/ZZB 210100—2021", title_zh="电热水壶")

    response = client.get(reverse("standards:standard_list"), {"q": typed})

    assert [(s.number, s.title_zh) for s in response.context["page_obj"]] == [("T/ZZB 2101001—2021", "家用燃气灶具")]
    assert response.context["page_obj"][0] == target
    assert "家用燃气灶具" in response.content.decode()


def test_parse_number_without_space_before_seven_digits_reads_the_shortest_code():
    assert parse_number("T/AB12345678-2019") == StandardNumber(code="AB1", sequence=2345678, part=None, year=2019)


@pytest.mark.parametrize(
    "typed",
    [
        "T/CNTAC 8—2018",
        "T/CNTAC 8-2018",
        "T/CNTAC 8–2018",  # en dash
        "T/CNTAC 8－2018",  # full-width hyphen
        "T/CNTAC 8——2018",  # the em dash as Chinese input methods type it
        "T/CNTAC 8 — 2018",
        "T/CNTAC8-2018",
        "T/CNTAC 008—2018",
        "t/cntac 8-2018",
        "Ｔ／ＣＮＴＡＣ　８—２０１８",  # full-width letters, slash, space and digits
        "  T/CNTAC   8-2018  ",
        "T / CNTAC 8-2018",
    ],
)
def test_normalise_number_accepts_every_written_form(typed):
    assert normalise_number(typed) == "T/CNTAC 8—2018"


def test_parse_number_returns_its_parts():
    assert parse_number("T/CPIA 0028.2—2024") == StandardNumber(code="CPIA", sequence=28, part=2, year=2024)


@pytest.mark.parametrize("typed", ["T/CAS/Z 001-2019", "T/CAS/Z 1—2019", "t / cas / z 1 – 2019", "T/CAS/Z1-2019"])
def test_normalise_number_keeps_the_guidance_prefix(typed):
    assert normalise_number(typed) == "T/CAS/Z 1—2019"


def test_parse_number_marks_guidance_documents():
    assert parse_number("T/CAS/Z 1—2019").guidance is True


def test_parse_number_without_space_reads_the_shortest_code():
    assert parse_number("T/ABC1234-2019").code == "ABC"


def test_parse_number_with_space_keeps_a_code_ending_in_digits():
    assert parse_number("T/AB12 3-2019") == StandardNumber(code="AB12", sequence=3, part=None, year=2019)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "CNTAC 8—2018",
        "GB/T 2912.1—2009",
        "T/CNTAC—2018",
        "T/CNTAC 8",
        "T/CNTAC 8—18",
        "T/CNTAC 8—20180",
        "T/ 8—2018",
        "T/CNTAC 8—2018 extra",
        "T/CNTAC 8.—2018",
        "T/中纺联 8—2018",
        "T/CNTAC 8—1899",
        "T/CECS 12345678—2023",  # eight digits after a space: the code cannot take any
        "T/CECS 01234567—2023",
    ],
)
def test_parse_number_refuses_what_is_not_a_group_standard_number(typed):
    with pytest.raises(InvalidNumberError):
        parse_number(typed)


def test_parse_number_error_says_what_is_expected():
    with pytest.raises(InvalidNumberError, match="T/CNTAC 8—2018"):
        parse_number("GB 18401—2010")


def test_canonical_characters_folds_widths_dashes_spaces_and_case():
    assert canonical_characters("ｔ/cntac　8－2018") == f"T/CNTAC 8{EM_DASH}2018"


# --- properties -----------------------------------------------------------------------------------

codes = st.from_regex(r"[A-Z][A-Z0-9]{0,9}", fullmatch=True)
numbers = st.builds(
    StandardNumber,
    code=codes,
    sequence=st.integers(min_value=0, max_value=9_999_999),
    part=st.none() | st.integers(min_value=0, max_value=999),
    year=st.integers(min_value=1980, max_value=2099),
    guidance=st.booleans(),
)


@given(numbers)
@example(StandardNumber(code="GZAEPI", sequence=1, part=None, year=2018))
def test_every_normal_form_parses_back_to_itself(number):
    normal = str(number)

    assert parse_number(normal) == number
    assert normalise_number(normal) == normal


dashes = st.sampled_from(["-", "‐", "‑", "‒", "–", "—", "――", "——", "−", "－"])
spaces = st.sampled_from(["", " ", "  ", "\u3000", "\t"])


@st.composite
def written_forms(draw):
    """A number and one way people write it: any dash, spacing, case, zero-padding and width."""
    number = draw(numbers)
    code = number.code
    if draw(st.booleans()):
        code = code.lower()
    slash = draw(st.sampled_from(["/", "／"]))
    prefix = f"T{slash}{code}" + (f"{slash}Z" if number.guidance else "")
    sequence = str(number.sequence).zfill(draw(st.integers(min_value=1, max_value=7)))
    part = "" if number.part is None else "." + str(number.part)
    # Without a space the code's last digits would be read as the sequence's: only letter-final codes drop it.
    gap = draw(spaces) if not number.code[-1].isdigit() or number.guidance else draw(spaces.filter(bool))
    text = f"{prefix}{gap}{sequence}{part}{draw(spaces)}{draw(dashes)}{draw(spaces)}{number.year}"
    if draw(st.booleans()):
        text = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    return number, text


@given(written_forms())
def test_every_accepted_variant_renders_to_the_same_normal_form(case):
    number, text = case

    assert normalise_number(text) == str(number)


@given(st.text(max_size=40))
def test_parse_number_never_fails_other_than_by_refusing(text):
    try:
        number = parse_number(text)
    except InvalidNumberError:
        return
    assert normalise_number(str(number)) == str(number)
