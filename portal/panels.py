"""One page, many stages: the part of an object's page that one stage owns (CONVENTIONS.md, "panels").

Each stage's `panels.py` has functions `panel(request, obj, *, form=None) -> Panel | None`: the stage's template
and a small context, or None when this user sees nothing of it. `form` is the stage's own bound form, when the
stage's endpoint refused what was typed and shows the page again. A page lists its panel functions in an
explicit tuple, in lifecycle order, and renders what `collect` returns; it imports no stage's forms or rules.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django import forms
from django.db.models import Model
from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    """A stage's part of a page: `template` is rendered with `panel` set to `context`.

    `aside`: beside the content on a wide screen and after it on a narrow one (a form its reader fills in while
    reading the content); otherwise in the page's flow, above the content (what a stage has to say).
    """

    template: str
    context: Mapping[str, object] = field(default_factory=dict)
    aside: bool = False


PanelFunction = Callable[..., Panel | None]


def collect(
    functions: tuple[PanelFunction, ...],
    request: HttpRequest,
    obj: Model,
    *,
    forms_shown: Mapping[PanelFunction, forms.BaseForm] | None = None,
) -> list[Panel]:
    """The panels this user sees, in the order of `functions`; `forms_shown` gives a panel its bound form."""
    forms_shown = forms_shown or {}
    panels = (function(request, obj, form=forms_shown.get(function)) for function in functions)
    return [panel for panel in panels if panel is not None]
