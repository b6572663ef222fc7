"""Hypothesis on every project form (issue 10): valid input must be storable, invalid is refused.

Every ``forms.Form`` subclass found by ``test_mass_assignment.project_forms`` is bound with
generated data built per declared field from the field's type (text with NUL, emoji, Unicode
digits and very long strings; huge and negative integers; naive, aware and odd date-times;
sampled choices plus junk; lists of ids plus junk; JSON values). The properties, 300 examples
per form: binding and ``is_valid()`` never raise; a valid form's cleaned text holds no NUL
(PostgreSQL refuses it in text and jsonb) and its integers fit in bigint (they are database ids
or counts); an invalid form has errors. Form-level only: the services are not called here.
"""

import datetime as dt
import decimal

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketing.forms import IdListField
from tests import builders as b
from tests.web.test_mass_assignment import project_forms

BIGINT = 2**63 - 1
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "😀" * 3,
    "x" * 5000,
    "²",
    "١٢",
    "１２",
    "99999999999999999999",
    "9223372036854775808",
    "-1",
    "0",
    "#5",
    " 7 ",
    "1e3",
    "NaN",
    "Infinity",
    "<script>",
    "'; DROP TABLE x; --",
]
text = st.one_of(
    st.text(max_size=50),
    st.sampled_from(NASTY_TEXT),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
offsets = st.integers(min_value=-23 * 60, max_value=23 * 60).map(
    lambda m: dt.timezone(dt.timedelta(minutes=m))
)
datetimes = st.datetimes(
    min_value=dt.datetime(1, 1, 2), timezones=st.one_of(st.none(), st.just(dt.UTC), offsets)
)
datetime_text = st.one_of(
    datetimes.map(lambda d: d.isoformat()),
    datetimes.map(lambda d: d.isoformat(sep=" ")),
    datetimes.map(lambda d: d.replace(tzinfo=None).isoformat(timespec="minutes")),
    datetimes.map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
    text,
)
decimals = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(min_value=0, max_value=1, places=4).map(str),
    text,
)
integers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    text,
)
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), text
)
json_values = st.recursive(
    json_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=8,
)


def _choice_values(field):
    valid = [str(k) for k, _ in field.choices if not isinstance(_, (list, tuple))]
    return st.one_of(st.sampled_from(valid), text) if valid else text


def strategy_for(field):
    """Raw submitted values for one declared field, chosen by the field's type."""
    name = type(field).__name__
    if isinstance(field, forms.FileField):
        return st.none()
    if isinstance(field, IdListField):
        return st.one_of(st.lists(integers.map(str), max_size=5), text)
    if isinstance(field, forms.ModelChoiceField):
        return st.one_of(integers.map(str), text)
    if isinstance(field, forms.MultipleChoiceField):
        if isinstance(field, forms.TypedMultipleChoiceField) and not field.choices:
            return st.lists(st.one_of(integers.map(str), text), max_size=5)
        return st.lists(_choice_values(field), max_size=5)
    if isinstance(field, forms.ChoiceField):
        return _choice_values(field)
    if isinstance(field, forms.BooleanField):
        return st.one_of(st.booleans(), text)
    if isinstance(field, forms.IntegerField):
        return integers
    if isinstance(field, forms.DecimalField):
        return st.one_of(decimals, st.integers(min_value=-(10**30), max_value=10**30))
    if isinstance(field, forms.DateTimeField):
        return datetime_text
    if name.startswith("JSON"):
        return json_values
    return text


def _build(form_class, data):
    if form_class.__name__ == "CsvMappingForm":
        return form_class(data, headers=["Email", "Name", "Company"], guesses={})
    return form_class(data)


def _fields(form_class):
    if form_class.__name__ == "CsvMappingForm":
        return _build(form_class, None).fields
    return form_class.base_fields


def _walk(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(k)
            yield from _walk(v)
    elif isinstance(value, (list, tuple, set)):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def _check(form):
    if form.is_valid():
        for name, value in form.cleaned_data.items():
            for leaf in _walk(value):
                if isinstance(leaf, str):
                    assert "\x00" not in leaf, (name, value)
                elif isinstance(leaf, int) and not isinstance(leaf, bool):
                    assert -BIGINT - 1 <= leaf <= BIGINT, (name, leaf)
                elif isinstance(leaf, decimal.Decimal):
                    assert leaf.is_finite(), (name, leaf)
    else:
        assert form.errors


# Found by this file; the owners' code is not changed here (strict: fixing one flags the test).
_BIG = "bigint overflow: valid form, cleaned {}=9223372036854775808 (IntegerField has no max_value)"
_SUP = "500: ValueError int('²') in {} — '²'.isdigit() is True but int('²') raises"
KNOWN_BUGS = {
    "SlotAssignForm": _BIG.format("contact_id") + ", data={'contact_id': '9223372036854775808'}",
    "SlotClearForm": _BIG.format("expected_contact_id")
    + ", data={'expected_contact_id': '9223372036854775808'}",
    "BulkMergeForm": _BIG.format("resolution_ids")
    + ", data={'resolution_ids': '9223372036854775808'} (parsed list has no upper bound)",
    "PersonMergeForm": _BIG.format("absorbed_id")
    + ", data={'survivor_id': '1', 'absorbed_id': '9223372036854775808'}",
}


def _params():
    for cls in project_forms():
        marks = []
        if cls.__name__ in KNOWN_BUGS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[cls.__name__]))
        yield pytest.param(cls, id=cls.__name__, marks=marks)


@pytest.fixture
def seeded(db):
    """A coordinator and a person so lookups by id and name can succeed."""
    b.user("hyp_coord")
    b.contact("Hypo Thesis")


@pytest.mark.parametrize("form_class", list(_params()))
def test_form_valid_is_storable_invalid_has_errors(form_class, seeded):
    """Any submission binds without raising; valid ⇒ no NUL, ints fit bigint; invalid ⇒ errors."""
    fields = _fields(form_class)
    data = st.fixed_dictionaries(
        {},
        optional={name: strategy_for(field) for name, field in fields.items()},
    )

    @SETTINGS
    @given(data=data)
    def run(data):
        _check(_build(form_class, {k: v for k, v in data.items() if v is not None}))

    run()
