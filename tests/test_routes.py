"""The app's addresses: every route survives a trip through its link, old links still work."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.routes import KEY_PARAMS, VIEWS, Route, href, parse

keys = (
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=80)
    .map(str.strip)
    .filter(bool)
)
routes = st.builds(
    lambda view, key, show_all, confidence: Route(
        view, key if view in KEY_PARAMS else None, show_all, confidence
    ),
    st.sampled_from(VIEWS),
    keys,
    st.booleans(),
    st.integers(min_value=0, max_value=100).map(lambda n: n / 100),
)


def _through_link(route: Route) -> Route:
    """What the app reads back after a browser followed the route's link."""
    query = urlsplit(href(route)).query
    return parse(parse_qs(query, keep_blank_values=True))


@settings(max_examples=300, deadline=None)
@given(routes)
def test_every_route_survives_its_link(route: Route) -> None:
    assert _through_link(route) == route
    assert parse(route.params()) == route
    assert href(route).startswith("?")
    assert "://" not in href(route) and "javascript" not in href(route).lower().split("=")[0]


@given(routes, st.sampled_from(VIEWS), keys)
def test_links_to_other_views_keep_the_settings(route: Route, view: str, key: str) -> None:
    other = route.to(view, key)  # type: ignore[arg-type]
    assert (other.show_all, other.min_confidence) == (route.show_all, route.min_confidence)
    assert other.view == view
    if view == "corrections":  # its only subject is "all" (undone ones listed too)
        assert other.key == (key if key == "all" else None)
    else:
        assert other.key == (key if view in KEY_PARAMS else None)


def test_addresses_of_the_first_app_open_the_same_views() -> None:
    assert parse({"page": "drift", "cluster": "u-9c32"}) == Route("statement", "u-9c32")
    assert parse({"page": "who", "q": "hegemonism"}) == Route("search", "hegemonism")
    assert parse({"page": "speaker", "name": "Wang Yi"}) == Route("speaker", "Wang Yi")
    assert parse({"page": "outlet", "name": "KCNA"}) == Route("outlet", "KCNA")
    assert parse({"page": "add"}) == Route("add")
    # A new-style address wins over an old one in the same query.
    assert parse({"view": "article", "id": "a1", "page": "drift"}) == Route("article", "a1")


def test_bad_values_fall_back_to_defaults() -> None:
    assert parse({"view": "<script>"}) == Route()
    assert parse({"view": "statement", "id": "   "}) == Route("statement")
    for bad in ("nan", "inf", "-1", "abc", ""):
        assert parse({"conf": bad}).min_confidence in (0.0,), bad
    assert parse({"conf": "7"}).min_confidence == 1.0
    assert parse({"all": "0"}).show_all is False
    assert len(parse({"view": "search", "q": "x" * 5000}).key or "") == 500
