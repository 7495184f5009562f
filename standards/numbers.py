"""Group-standard numbers: `T/<group code> <sequence>—<year>`, read in every form found in the wild.

Numbers are typed with em dashes, en dashes, hyphens or full-width hyphens, with or without the space, with
zero-padded sequences (`001`), part numbers (`0028.2`) and the old guidance prefix (`T/CAS/Z`). The sequence has
one to seven digits, as written: some groups encode a category in it (`T/ZZB 2101001—2021`). One normal
form — upper-case code, one ASCII space, sequence and part without leading zeros, em dash — is what the
registry stores for uniqueness and look-up: `T/GZAEPI 1—2018`, `T/CPIA 28.2—2024`, `T/CAS/Z 1—2019`.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EM_DASH = "\u2014"
# Hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign.
# Full-width forms (U+FF0D, U+FF0F, U+3000) become ASCII under NFKC before matching.
_DASHES = "\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH = f"[{_DASHES}]{{1,2}}"  # Chinese input methods type the em dash as a pair: 「——」
_SPACES = re.compile(r"\s+")

# The code is matched lazily: without the space, `T/CNTAC8-2018` reads as code CNTAC, sequence 8. A code
# that itself ends in digits is ambiguous when the space is missing, and the shortest code wins. The sequence
# has up to seven digits as written, zero-padding included.
_NUMBER = re.compile(
    rf"""
    T \s* / \s* (?P<code>[A-Z0-9]+?)
    (?: \s* / \s* (?P<guidance>Z) )?
    \s* (?P<sequence>\d{{1,7}}) (?: \. (?P<part>\d{{1,3}}) )?
    \s* {_DASH} \s* (?P<year>\d{{4}})
    """,
    re.VERBOSE,
)


class InvalidNumberError(ValueError):
    """The text is not a group-standard number; the message says what is expected."""


@dataclass(frozen=True, order=True)
class StandardNumber:
    code: str
    sequence: int
    part: int | None
    year: int
    guidance: bool = False

    def __str__(self) -> str:
        prefix = f"T/{self.code}/Z" if self.guidance else f"T/{self.code}"
        part = f".{self.part}" if self.part is not None else ""
        return f"{prefix} {self.sequence}{part}{EM_DASH}{self.year}"


def canonical_characters(text: str) -> str:
    """Full-width to ASCII, every dash to an em dash, runs of space to one, upper case."""
    text = unicodedata.normalize("NFKC", text).upper()
    text = re.sub(_DASH, EM_DASH, text)
    return _SPACES.sub(" ", text).strip()


def parse_number(text: str) -> StandardNumber:
    """Read a group-standard number in any accepted form; raise InvalidNumberError otherwise."""
    match = _NUMBER.fullmatch(unicodedata.normalize("NFKC", text).upper().strip())
    if match is None:
        raise InvalidNumberError(
            _("“%(text)s” is not a group-standard number; expected e.g. T/CNTAC 8—2018 or T/CPIA 0028.2—2024.")
            % {"text": text.strip()}
        )
    year = int(match["year"])
    if not 1980 <= year <= 2099:
        raise InvalidNumberError(_("The year %(year)d in this number is not plausible.") % {"year": year})
    return StandardNumber(
        code=match["code"],
        sequence=int(match["sequence"]),
        part=int(match["part"]) if match["part"] is not None else None,
        year=year,
        guidance=match["guidance"] is not None,
    )


def normalise_number(text: str) -> str:
    """The normal form of a number typed in any accepted form."""
    return str(parse_number(text))


def validate_number(text: str) -> None:
    """A Django validator for fields holding a number as typed."""
    try:
        parse_number(text)
    except InvalidNumberError as error:
        raise ValidationError(str(error), code="invalid_number") from error
