"""Internal codes that leak into what a page says: everything a person reads is a translated label (issue 10).

`find_leaks(html)` reads a rendered page as a person does: its text, not its attributes, and not what the page
itself marks as machine text (`<code>`, `<kbd>`, `<samp>`, an element with `translate="no"`), nor what it
hides (`hidden`, `<script>`, `<style>`, `<template>`). It finds:

- `action`: an audit action or a content type as stored (`application.submit`, `projects.application`);
- `identifier`: any snake_case word of two or more parts (`return_for_revision`, `opens_at`);
- `choice`, `field` and `section`, on a Chinese page only: the value of one of the project's TextChoices
  (`holiday`, `draft`), a model field's name (`deadline`, `phone`) or an application section's key (`claim`),
  when the Latin run around it holds nothing but such codes (`name, phone`), so that an English title on a
  Chinese page (`Technical requirements for ...`) passes.

E-mail addresses, web addresses and file names (`实施证明2.pdf`) are not codes. Words the caller allows (the
people's user names, which may be `applicant`) are not either. tests/e2e/leaks.py applies it to a browser page.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

from projects.completeness import SECTIONS

PROJECT_APPS = ("portal", "projects", "standards", "reviews", "publicity")
# Text people do not read, or that the page marks as machine text on purpose.
SKIPPED_TAGS = {"script", "style", "template", "code", "kbd", "samp", "noscript"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FILE_EXTENSIONS = {"pdf", "ofd", "doc", "docx", "xls", "xlsx", "csv", "jpg", "jpeg", "png", "txt", "zip", "html"}

_NOT_CODE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|https?://\S+|(?<![\w/])/[\w./?=&%#-]+"  # a web address or a path
    r"|[\w.-]+\.(?:" + "|".join(sorted(FILE_EXTENSIONS)) + r")\b",  # a file name
    re.IGNORECASE,
)
# Lowercase ASCII words with their neighbours: a code is not part of a longer word, path or number.
_DOTTED = re.compile(r"(?<![\w.@/-])([a-z][a-z0-9]*)\.([a-z][a-z0-9_]*)(?![\w@/-]|\.\w)")
_SNAKE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-]|\.\w)")
# A run of Latin text: words, digits and the punctuation a list of codes is written with.
_LATIN_RUN = re.compile(r"[A-Za-z0-9_.,;:()'\"\s-]+")
_WORD = re.compile(r"[A-Za-z0-9_]+")


@dataclass(frozen=True)
class Leak:
    code: str
    kind: str
    where: str
    context: str

    def __str__(self) -> str:
        return f"{self.code!r} ({self.kind}) in {self.where}: “{self.context}”"


@dataclass(frozen=True)
class Vocabulary:
    prefixes: frozenset[str]
    choices: frozenset[str]
    fields: frozenset[str]
    sections: frozenset[str]


def _project_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if model._meta.app_label in PROJECT_APPS]


def _text_choices(cls: type = models.TextChoices) -> Iterable[type[models.TextChoices]]:
    for sub in cls.__subclasses__():
        if sub.__module__.split(".")[0] in PROJECT_APPS:
            yield sub
        yield from _text_choices(sub)


@cache
def vocabulary() -> Vocabulary:
    """What the project calls things internally: action prefixes, choice values, field names."""
    actions = [key for config in apps.get_app_configs() for key in getattr(config, "audit_actions", {})]
    prefixes = {action.split(".")[0] for action in actions} | set(PROJECT_APPS)
    prefixes |= {model._meta.model_name for model in _project_models()}
    choices = {str(value) for choices in _text_choices() for value in choices.values}
    fields = {field.name for model in _project_models() for field in model._meta.get_fields()}
    sections = {section.key for section in SECTIONS}
    return Vocabulary(frozenset(prefixes), frozenset(choices), frozenset(fields), frozenset(sections))


class _Text(HTMLParser):
    """The page's text nodes a person reads, each with the path of the elements it is in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = []  # (tag, label for the path, skipped)
        self.nodes: list[tuple[str, str]] = []
        self.language = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.language = (attributes.get("lang") or "").lower()
        if tag in VOID_TAGS:
            return
        skipped = (
            tag in SKIPPED_TAGS
            or "hidden" in attributes
            or attributes.get("translate") == "no"
            or bool(self.stack and self.stack[-1][2])
        )
        label = tag + (f"#{attributes['id']}" if attributes.get("id") else "")
        label += "".join(f".{name}" for name in (attributes.get("class") or "").split()[:2])
        self.stack.append((tag, label, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # `<br/>`, `<input/>`: no text inside

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching element: an implicitly closed `<p>` or `<li>` must not shift the path.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self.stack and self.stack[-1][2]):
            path = " > ".join(label for _tag, label, _skipped in self.stack if _tag not in {"html", "body"})
            self.nodes.append((data, path))


def _context(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 30) : end + 30].split())


def _leaks_in(page_text: str, where: str, *, chinese: bool, allowed: frozenset[str]) -> list[Leak]:
    words = vocabulary()
    # Blank out what is not a code, keeping offsets so that the context quotes the page.
    text = _NOT_CODE.sub(lambda match: " " * len(match.group()), page_text)
    found = []
    for match in _DOTTED.finditer(text):
        if match.group(1) in words.prefixes and match.group(2) not in FILE_EXTENSIONS:
            found.append(Leak(match.group(), "action", where, _context(page_text, *match.span())))
            text = text[: match.start()] + " " * len(match.group()) + text[match.end() :]  # reported once
    for match in _SNAKE.finditer(text):
        if match.group() not in allowed:
            found.append(Leak(match.group(), "identifier", where, _context(page_text, *match.span())))
    if chinese:
        found += _bare_words(text, page_text, where, words, allowed)
    return sorted(found, key=lambda leak: page_text.find(leak.code))


def _bare_words(text: str, page_text: str, where: str, words: Vocabulary, allowed: frozenset[str]) -> list[Leak]:
    found = []
    codes = words.choices | words.fields | words.sections
    for run in _LATIN_RUN.finditer(text):
        tokens = [token for token in _WORD.findall(run.group()) if not token.isdigit()]
        if not tokens or not all(token in codes or "_" in token for token in tokens):
            continue
        for token in _WORD.finditer(run.group()):
            name = token.group()
            if "_" in name or name.isdigit() or name in allowed:
                continue  # snake_case is reported as an identifier already
            kind = "choice" if name in words.choices else "field" if name in words.fields else "section"
            start = run.start() + token.start()
            found.append(Leak(name, kind, where, _context(page_text, start, start + len(name))))
    return found


def _read(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser


def readable_text(html: str) -> list[tuple[str, str]]:
    """The page's text a person reads, node by node, each with the path of the elements it is in."""
    return _read(html).nodes


def find_leaks(html: str, *, allowed: Iterable[str] = ()) -> list[Leak]:
    """Every internal code in the page's readable text, in page order."""
    page = _read(html)
    chinese = page.language.startswith("zh")
    allowed = frozenset(allowed)
    return [leak for text, where in page.nodes for leak in _leaks_in(text, where, chinese=chinese, allowed=allowed)]


# Half-width punctuation touching a Chinese character, in a Chinese sentence: "名称:" "(北京时间)" "申报书。:".
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_HALF_WIDTH = re.compile(
    rf"(?<=[{_CJK}])[,:;!?)]"  # after a character: 名称: 申报, 北京时间)
    rf"|(?<=[{_CJK}])\.(?![\w.])"  # a full stop (not a file name's dot: 证明.pdf)
    rf"|\((?=\s?[{_CJK}])"  # an opening bracket before a character: (北京时间
    rf"|(?<=[{_CJK}]\s)\("  # ... or after one and a space: 时间 (3
    r"|(?<=[。？！：；，、])[:：.,;]"  # doubled: 承诺。:
    r"|(?<=[）」』】])[.,:;]"  # after a Chinese closing bracket: （3 周后）.
)


def find_half_width_punctuation(html: str) -> list[Leak]:
    """On a Chinese page, ASCII punctuation inside Chinese text, and punctuation doubled after a full stop."""
    page = _read(html)
    if not page.language.startswith("zh"):
        return []
    found = []
    for text, where in page.nodes:
        for match in _HALF_WIDTH.finditer(text):
            found.append(Leak(match.group(), "punctuation", where, _context(text, *match.span())))
    return found


def describe(leaks: list[Leak], *, page: str) -> str:
    return f"{len(leaks)} internal code(s) on {page}:\n" + "\n".join(f"  {leak}" for leak in leaks)
