"""Form fields shared by every app: database ids typed or posted by users.

Every primary key in the schema is a ``bigint`` (``bigserial``/identity), so an id a form
accepts must be ASCII digits between 1 and 2**63-1. Python's ``int()`` is wider than that: it
takes '١٢' (Arabic-Indic), '１２' (fullwidth), '1_000', ' +7 ' and numbers of any size, and
``'²'.isdigit()`` is True although ``int('²')`` raises. One parser here, used by every id field,
so a value past these bounds is a form error with a message, never a ``DataError`` (500) or a
silently empty lookup. Also the login forms, whose username is bounded the same way.
"""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

MAX_ID = 2**63 - 1
ID_INVALID = "Not a valid id."


def parse_id(value, *, invalid: str = ID_INVALID, out_of_range: str = ID_INVALID) -> int:
    """The database id in ``value`` (an int, or text of ASCII digits with an optional '#').

    Raises ``ValidationError`` with ``invalid`` (code ``invalid``) for anything else and with
    ``out_of_range`` (code ``out_of_range``) for 0 or a number past bigint.
    """
    if isinstance(value, bool):
        raise ValidationError(invalid, code="invalid")
    if isinstance(value, int):
        number = value
    else:
        text = value.strip() if isinstance(value, str) else ""
        digits = text.removeprefix("#")
        if not (digits.isascii() and digits.isdigit()):
            raise ValidationError(invalid, code="invalid")
        if len(digits.lstrip("0")) > 19:  # past bigint whatever the digits; int() stays cheap
            raise ValidationError(out_of_range, code="out_of_range")
        number = int(digits)
    if not 1 <= number <= MAX_ID:
        raise ValidationError(out_of_range, code="out_of_range")
    return number


def optional_id(value) -> int | None:
    """The id in ``value`` as ``parse_id`` reads it, or None (for GET parameters: a bad value
    is ignored like a missing one)."""
    try:
        return parse_id(value)
    except ValidationError:
        return None


class IdField(forms.IntegerField):
    """One database id (``12`` or ``#12``); 1 ≤ id ≤ 2**63-1, else "Not a valid id."."""

    default_error_messages = {
        "invalid": ID_INVALID,
        "out_of_range": ID_INVALID,
        "min_value": ID_INVALID,
        "max_value": ID_INVALID,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_id(
            value,
            invalid=self.error_messages["invalid"],
            out_of_range=self.error_messages["out_of_range"],
        )


class IdListField(forms.Field):
    """Repeated hidden inputs (``name=1&name=2``) → a sorted list of distinct database ids."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "Ids must be whole numbers.", "out_of_range": ID_INVALID}

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, (str, int)):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        messages = {"invalid": self.error_messages["invalid"]}
        messages["out_of_range"] = self.error_messages["out_of_range"]
        return sorted({parse_id(v, **messages) for v in value})


class ExpectedVersionForm(forms.Form):
    """Listed before a ModelForm (``class XEditForm(ExpectedVersionForm, XForm)``): the version
    (``updated_at``) the user loaded travels back hidden, so the service can refuse a stale
    edit and name who saved first."""

    expected_updated_at = forms.DateTimeField(
        widget=forms.HiddenInput,
        error_messages={"required": "The form is missing its version; reload the page."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["expected_updated_at"] = instance.updated_at.isoformat()


class BoundedUsernameMixin:
    """Refuse a username longer than the user model's field as a form error.

    Django's ``AuthenticationForm`` copies the model's ``max_length`` onto its username field
    after building it, so no length validator runs: a 300-character username reached
    ``authenticate()`` and django-axes' failed-login record (``varchar(255)``), a 500.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    pass


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    pass
