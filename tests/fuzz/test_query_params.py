"""Fuzzing of query-string parsing on every page: each GET page of the access matrix whose
path needs no test records is requested with arbitrary query parameters (page numbers of
any size, filters with any text, repeated keys), by an administrator and anonymously.
Property: never a server error; a bad parameter is ignored or answered with 4xx."""

from __future__ import annotations

import importlib
import pkgutil
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st

from tests import access_rules

from .common import fuzz, nasty_text, rolled_back

MODULES = [
    importlib.import_module(f"tests.access_rules.{m.name}")
    for m in pkgutil.iter_modules(access_rules.__path__)
]
PAGES = sorted(
    {
        path
        for module in MODULES
        for method, path, _expected in module.RULES.values()
        if method == "get" and isinstance(path, str)
    }
)
PARAM_NAMES = [
    "page",
    "q",
    "sort",
    "order",
    "status",
    "kind",
    "year",
    "fy",
    "fiscal_year",
    "from",
    "to",
    "date",
    "month",
    "district",
    "industry",
    "size",
    "tag",
    "lang",
    "per_page",
    "limit",
    "offset",
    "stage",
    "employees",
    "capital",
    "in_city",
    "challenge",
    "format",
    "next",
    "strategy",
    "indicator",
    "measure",
    "program",
    "call",
    "business",
    "desk",
    "expert",
]
param_value = st.one_of(
    nasty_text,
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e9",
            "99999999999999999999",
            "NaN",
            "inf",
            "令和7年",
            "2025-02-30",
            "true",
            "[]",
            "{}",
            "../",
            "%00",
            "\x00",
            "ー",
        ]
    ),
)


@st.composite
def query(draw, path):
    existing = parse_qsl(urlsplit(path).query, keep_blank_values=True)
    names = [name for name, _ in existing] + PARAM_NAMES
    params = [
        (draw(st.sampled_from(names)), draw(param_value)) for _ in range(draw(st.integers(1, 4)))
    ]
    if existing and draw(st.booleans()):
        params = existing + params
    base = urlsplit(path).path
    return f"{base}?{urlencode(params)}"


@pytest.fixture
def admin(tsukuba, make_user):
    return make_user("admin")


@pytest.mark.django_db
@fuzz(db=True, max_examples=120)
@given(data=st.data())
def test_no_page_fails_on_any_query_string(admin, data):
    path = data.draw(st.sampled_from(PAGES))
    url = data.draw(query(path))
    signed_in = data.draw(st.booleans())
    client = Client()
    if signed_in:
        client.force_login(admin)
    with rolled_back():
        response = client.get(url)
    event(f"signed_in={signed_in} status={response.status_code}")
    assert response.status_code < 500, (url, response.status_code)


@pytest.mark.parametrize("value", ["9" * 30, "-1", "0", "x", "", "²"])
def test_merge_ids_out_of_range_are_404(value):
    """Found reading the query-string parsers: /staff/businesses/merge/?keep=10**30 passed
    int() and overflowed the database's integer in the lookup (500)."""
    from django.http import Http404

    from sangyo.registry.views import _int_param

    with pytest.raises(Http404):
        _int_param({"keep": value}, "keep")
