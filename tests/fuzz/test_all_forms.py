"""Every form of the project that can be built from POST data alone is bound to arbitrary
values for its fields and validated: `is_valid()` must answer, never raise (a crash there is a
500 on the page that shows the form)."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.http import QueryDict
from hypothesis import event, given
from hypothesis import strategies as st

from .common import fuzz, nasty_text, rolled_back

FORM_MODULES = [
    "sangyo.applications.forms_staff",
    "sangyo.consultations.forms",
    "sangyo.diagnostics.forms",
    "sangyo.events.forms",
    "sangyo.indicators.forms",
    "sangyo.matching.forms",
    "sangyo.navigator.forms",
    "sangyo.registry.forms",
    "sangyo.registry.forms_imports",
]


def _form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
            ):
                found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


FORMS = _form_classes()

value = st.one_of(
    nasty_text,
    st.integers(-(10**25), 10**25).map(str),
    st.sampled_from(
        [
            "",
            "on",
            "1",
            "0",
            "-1",
            "1e999999999999999999",
            "NaN",
            "2025-02-30",
            "2025-04-01",
            "令和7年4月1日",
            "R7.2.30",
            "10:00",
            "25:61",
            "9" * 40,
            "082201",
            "7000012050002",
            "https://example.jp",
            "a@example.test",
        ]
    ),
)


@pytest.mark.django_db
@fuzz(db=True, max_examples=150)
@given(data=st.data())
def test_every_form_validates_any_post(tsukuba, data):
    cls = data.draw(st.sampled_from(FORMS))
    try:
        probe = cls()
    except TypeError:
        event("needs arguments (skipped)")
        return
    post = QueryDict(mutable=True)
    for name in probe.fields:
        if data.draw(st.integers(0, 4)) > 0:
            key = probe.add_prefix(name)
            post.setlist(key, data.draw(st.lists(value, min_size=1, max_size=2)))
    with rolled_back():
        form = cls(post)
        event(f"{cls.__name__} valid={form.is_valid()}")
