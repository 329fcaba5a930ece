"""The app's addresses: every view is a URL, and every URL names exactly one view.

The app keeps no page state of its own: the query string says which view to draw and for what
(``?view=statement&id=q-...``, ``?view=speaker&name=Wang+Yi``), so a view can be bookmarked,
pasted into an article or a chat, and the browser's Back and Forward buttons move between
views. :func:`parse` reads a query string (as ``st.query_params`` gives it) into a
:class:`Route`; :meth:`Route.params` and :func:`href` write one back. The two are inverse:
``parse(route.params()) == route`` for every route.

Views and the parameter that names their subject:

======================  ==================================================================
``overview``            the home page (no parameter)
``statement``           ``id``: any quote id of the statement (or its cluster id); without
                        it, the list of statements
``speaker``/``outlet``  ``name``; without it, the list of speakers or outlets
``article``             ``id``: the article id; without it, the list of articles
``search``              ``q``: the phrase looked up ("who said it")
``add``                 the form that adds articles
``corrections``         every correction in force; ``show=all`` lists the undone ones too
======================  ==================================================================

Two settings travel with every link: ``all=1`` (also list statements seen only once) and
``conf`` (the lowest extraction confidence shown, 0-1). Addresses written by earlier versions of
the app (``?page=drift&cluster=...``, ``?page=who&q=...``) still open the same view.

Example:
    >>> route = parse({"view": "speaker", "name": "Wang Yi"})
    >>> route.view, route.key
    ('speaker', 'Wang Yi')
    >>> href(route.to("statement", "q-1"))
    '?view=statement&id=q-1'
    >>> parse({"page": "drift", "cluster": "u-9c32"}).key
    'u-9c32'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal, get_args
from urllib.parse import urlencode

View = Literal[
    "overview", "statement", "speaker", "outlet", "article", "search", "add", "corrections"
]
VIEWS: tuple[View, ...] = get_args(View)

KEY_PARAMS: dict[View, str] = {
    "statement": "id",
    "speaker": "name",
    "outlet": "name",
    "article": "id",
    "search": "q",
    "corrections": "show",
}
"""The query parameter that names each view's subject (views not listed have none)."""

SHOW_ALL = "all"
"""The only subject of the ``corrections`` view: ``show=all`` also lists undone corrections."""

LEGACY_PAGES: dict[str, tuple[View, str | None]] = {
    "overview": ("overview", None),
    "drift": ("statement", "cluster"),
    "who": ("search", "q"),
    "speaker": ("speaker", "name"),
    "outlet": ("outlet", "name"),
    "add": ("add", None),
}
"""``?page=`` values of the first app, with the parameter that held their subject."""

MAX_KEY_CHARS = 500
"""Longest subject kept from a URL (a pasted search phrase can be long; nothing needs more)."""


@dataclass(frozen=True, slots=True)
class Route:
    """One view of the app and its subject, plus the settings that travel with every link.

    ``key`` is the view's subject (a quote id, a speaker's name, a phrase...) or ``None`` for the
    view's list. ``show_all`` also lists statements seen in one article only; ``min_confidence``
    hides quotes the extraction is less sure of. The ``corrections`` view's only subject is
    :data:`SHOW_ALL` (any other is dropped), so every route is one its link gives back.

    Example:
        >>> Route("search", "hegemonism").params()
        {'view': 'search', 'q': 'hegemonism'}
        >>> Route("corrections", "anything").key is None
        True
    """

    view: View = "overview"
    key: str | None = None
    show_all: bool = False
    min_confidence: float = 0.0

    def __post_init__(self) -> None:
        if self.view == "corrections" and self.key != SHOW_ALL:
            object.__setattr__(self, "key", None)

    def params(self) -> dict[str, str]:
        """The query parameters of this route, in a fixed order, defaults left out.

        Example:
            >>> Route("statement", "q-1", show_all=True, min_confidence=0.5).params()
            {'view': 'statement', 'id': 'q-1', 'all': '1', 'conf': '0.5'}
            >>> Route().params()
            {}
        """
        params: dict[str, str] = {}
        if self.view != "overview":
            params["view"] = self.view
        name = KEY_PARAMS.get(self.view)
        if name and self.key:
            params[name] = self.key
        if self.show_all:
            params["all"] = "1"
        if self.min_confidence > 0:
            params["conf"] = _format_confidence(self.min_confidence)
        return params

    def to(self, view: View, key: str | None = None) -> Route:
        """The route to another view, keeping this route's settings.

        Example:
            >>> Route("overview", show_all=True).to("speaker", "Choe Son Hui").params()
            {'view': 'speaker', 'name': 'Choe Son Hui', 'all': '1'}
        """
        return replace(self, view=view, key=key if view in KEY_PARAMS else None)

    def with_settings(
        self, *, show_all: bool | None = None, min_confidence: float | None = None
    ) -> Route:
        """This view with other settings.

        Example:
            >>> Route("overview").with_settings(min_confidence=0.8).min_confidence
            0.8
        """
        return replace(
            self,
            show_all=self.show_all if show_all is None else show_all,
            min_confidence=(
                self.min_confidence
                if min_confidence is None
                else _clean_confidence(str(min_confidence))
            ),
        )


def href(route: Route) -> str:
    """The link to ``route``, relative to the app's address (``?view=...``; ``?`` for home).

    Every value is percent-encoded, so a link built from article text (a speaker's name) is a
    plain query string whatever the text holds.

    Example:
        >>> href(Route("speaker", 'Mara "<b>" Ellison'))
        '?view=speaker&name=Mara+%22%3Cb%3E%22+Ellison'
        >>> href(Route())
        '?'
    """
    return "?" + urlencode(route.params())


def parse(params: Mapping[str, str | Iterable[str]]) -> Route:
    """The route a query string names; unknown views and bad values fall back to defaults.

    ``params`` maps each parameter to its value (or values: the last one counts), as
    ``st.query_params`` or :func:`urllib.parse.parse_qs` give them.

    Example:
        >>> parse({"view": "statement", "id": ["q-1", "q-2"], "conf": "2"})
        Route(view='statement', key='q-2', show_all=False, min_confidence=1.0)
        >>> parse({"view": "nowhere"}).view
        'overview'
        >>> parse({"view": "corrections", "show": "all"}).key, parse({"view": "corrections",
        ...     "show": "<b>"}).key
        ('all', None)
    """
    values = {name: _last(value) for name, value in params.items()}
    view, key_param = _view_of(values)
    key = _clean_key(values.get(key_param)) if key_param else None
    return Route(
        view=view,
        key=key,
        show_all=values.get("all", "") in ("1", "true", "yes"),
        min_confidence=_clean_confidence(values.get("conf", "")),
    )


def _view_of(values: Mapping[str, str]) -> tuple[View, str | None]:
    wanted = values.get("view", "")
    if wanted in VIEWS:
        view: View = wanted
        return view, KEY_PARAMS.get(view)
    legacy = LEGACY_PAGES.get(values.get("page", ""))
    if legacy and not wanted:
        return legacy
    return "overview", None


def _last(value: str | Iterable[str]) -> str:
    if isinstance(value, str):
        return value
    items = list(value)
    return str(items[-1]) if items else ""


def _clean_key(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = value.strip()[:MAX_KEY_CHARS].strip()
    return cleaned or None


def _clean_confidence(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        return 0.0
    if not math.isfinite(number):
        return 0.0
    return round(min(1.0, max(0.0, number)), 2)


def _format_confidence(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
