import phonenumbers
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db.models import Q

from outreach_admin.fields import http_url_validator
from outreach_admin.forms import ExpectedVersionForm, IdField, parse_id
from outreach_admin.widgets import TypeaheadPicker, id_in_label
from outreach_admin.widgets import label as picker_label
from people.models import EMAIL_RE, Contact
from people.selectors import MERGE_FIELDS
from people.services.edit import PERSON_FIELDS

SIDES = [("survivor", "Survivor"), ("absorbed", "Absorbed")]


class PairActionForm(forms.Form):
    next = forms.CharField(required=False)


class JobChangeForm(forms.Form):
    current_id = IdField(
        error_messages={"required": "Choose which record is the current job."},
    )
    next = forms.CharField(required=False)


class PersonMergeForm(forms.Form):
    survivor_id = IdField()
    absorbed_id = IdField()
    resolution_id = IdField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in MERGE_FIELDS:
            self.fields[f"field_{name}"] = forms.ChoiceField(choices=SIDES, required=False)

    def field_choices(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"field_{name}"]
            for name in MERGE_FIELDS
            if self.cleaned_data.get(f"field_{name}")
        }


class MergeUndoForm(forms.Form):
    confirmed = forms.CharField(required=False)


class BulkMergeForm(forms.Form):
    resolution_ids = forms.CharField(required=True)
    confirmed = forms.CharField(required=False)

    def clean_resolution_ids(self):
        raw = self.cleaned_data["resolution_ids"].replace(",", " ").split()
        try:
            ids = [parse_id(x) for x in raw]
        except forms.ValidationError:
            raise forms.ValidationError("Pair ids must be numbers.") from None
        if not ids:
            raise forms.ValidationError("Choose at least one pair.")
        if len(ids) > 500:
            raise forms.ValidationError("At most 500 pairs at a time.")
        return ids


TEXT_MAX = 300  # the columns are unbounded text; a person's name or title is never this long
STATUS_CHOICES = [
    ("active", "Active"),
    ("inactive", "Left the company"),
    ("bounced", "Bounced (e-mail undeliverable)"),
    ("unsubscribed", "Unsubscribed"),
]


def e164(value: str | None, field_label: str) -> str | None:
    """A typed phone number as E.164 (the CHECK's format); the default region is
    ``INTAKE_DEFAULT_PHONE_REGION`` for numbers written without ``+country``."""
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, settings.INTAKE_DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            f"{field_label} is not a valid phone number; write it with its country code, "
            "e.g. +1 614 555 0100."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def readable_phone(value: str | None) -> str | None:
    """A stored E.164 number as people write it ("+1 614-555-0134"); anything else as is."""
    try:
        number = phonenumbers.parse(value or "", None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class EmployerField(forms.ModelChoiceField):
    """The employer, picked with the type-ahead (``TypeaheadPicker``, kind company) instead of
    a <select> of every company (100,000 options at size M). Accepts the picker's label
    (``Acme (#12)``) or an id (``12``, ``#12``); anything else, or a company outside the
    queryset, is "pick one from the list"."""

    default_error_messages = {
        "invalid_choice": "Pick the employer from the list: type part of its name.",
    }

    def __init__(self, queryset, **kwargs):
        kwargs["widget"] = TypeaheadPicker(
            "company", label_for=self.label_for, placeholder="Type a company name"
        )
        super().__init__(queryset, **kwargs)

    def label_for(self, value) -> str:
        company = self._lookup(value)
        return picker_label(company.company_name, company.pk) if company else str(value)

    def _lookup(self, value):
        text = str(getattr(value, "pk", value) or "").strip()
        digits = id_in_label(text) or text.lstrip("#")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
            return None
        return self.queryset.filter(pk=int(digits)).first()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        company = self._lookup(value)
        if company is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return company


class ContactForm(forms.ModelForm):
    """A person's own fields as a coordinator creates or edits them (never ids, provenance,
    verification or merge state: services and the database keep those)."""

    email = forms.CharField(
        required=False,
        label="E-mail",
        # The CHECK's own pattern, not EmailField: it accepts what the database stores
        # (international addresses included), as the intake boundary does.
        validators=[RegexValidator(EMAIL_RE, "Enter an e-mail address like name@company.com.")],
        widget=forms.EmailInput,
        help_text="Changing it ends the current verification: the new address is checked anew.",
    )
    status = forms.ChoiceField(
        choices=STATUS_CHOICES,
        help_text="“Left the company” or another employer marks the person's slots stale; "
        "they go back to the open-slots queue.",
    )

    class Meta:
        model = Contact
        fields = list(PERSON_FIELDS)
        labels = {
            "full_name": "Full name",
            "first_name": "First name",
            "last_name": "Last name",
            "work_phone_e164": "Work phone",
            "personal_phone_e164": "Mobile phone",
            "linkedin_url": "LinkedIn",
            "company": "Employer",
        }
        field_classes = {"company": EmployerField}
        help_texts = {
            "full_name": "Left blank, it is made from the first and last name.",
            "linkedin_url": "The profile address, e.g. https://www.linkedin.com/in/jane-doe.",
            "company": "The company the person works for now.",
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
            "linkedin_url": forms.URLInput(attrs={"placeholder": "https://www.linkedin.com/in/…"}),
            "work_phone_e164": forms.TextInput(attrs={"type": "tel"}),
            "personal_phone_e164": forms.TextInput(attrs={"type": "tel"}),
            **{name: forms.TextInput for name in ("first_name", "last_name", "title")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = False
        employer = self.fields["company"]
        current = self.instance.company_id if self.instance.pk else None
        employer.queryset = employer.queryset.filter(Q(status="active") | Q(pk=current)).order_by(
            "company_name"
        )
        if not self.is_bound:
            for name in ("work_phone_e164", "personal_phone_e164"):
                self.initial[name] = readable_phone(self.initial.get(name))
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.empty_value = None  # a blank field stores NULL, not ''
                field.max_length = TEXT_MAX
                field.validators.append(MaxLengthValidator(TEXT_MAX))
                field.widget.attrs["maxlength"] = TEXT_MAX
            if not isinstance(field.widget, forms.HiddenInput):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"

    def _post_clean(self):
        """No model validation here: the service writes and turns the database's refusals
        (unique e-mail, CHECKs) into field errors; ``construct_instance`` alone would write
        the posted values into the instance the page still shows."""

    def clean_work_phone_e164(self):
        return e164(self.cleaned_data.get("work_phone_e164"), "The work phone")

    def clean_personal_phone_e164(self):
        return e164(self.cleaned_data.get("personal_phone_e164"), "The mobile phone")

    def clean_linkedin_url(self):
        """A scheme-less address gets https:// (as the database's trigger would), then must be
        an http(s) URL (the CHECK)."""
        url = (self.cleaned_data.get("linkedin_url") or "").strip()
        if not url:
            return None
        if "://" not in url and not url.lower().startswith(("javascript:", "data:")):
            url = "https://" + url
        http_url_validator(url)
        return url

    def clean_email(self):
        email = self.cleaned_data.get("email")
        return email.strip() if email else None

    def clean(self):
        data = super().clean()
        for field, value in list(data.items()):
            # Bytes that were not UTF-8 arrive as U+FFFD: never store a mangled name or address.
            if isinstance(value, str) and "\ufffd" in value:
                self.add_error(field, "This has characters that could not be read; retype it.")
        name = (data.get("full_name") or "").strip()
        if not name:
            name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        if not name.strip():
            self.add_error("full_name", "Give the person a name (full name or first and last).")
        else:
            data["full_name"] = name.strip()
        return data


class ContactEditForm(ExpectedVersionForm, ContactForm):
    """``ContactForm`` plus the version the user loaded (``updated_at``), for conflict checks."""
