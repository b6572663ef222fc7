import calendar

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator

from companies.models import Company
from companies.services import COMPANY_FIELDS
from outreach_admin.forms import ExpectedVersionForm, IdField, parse_id

REASON_WIDGET = forms.TextInput(attrs={"class": "form-control form-control-sm", "maxlength": 300})


class SlotAssignForm(forms.Form):
    contact_id = IdField(
        error_messages={
            "required": "Choose a person to assign.",
            "invalid": "The person id must be a whole number.",
        },
    )
    expected_contact_id = IdField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(required=False, max_length=300, widget=REASON_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("expected_contact_id") and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why you replace the person in this slot.")
        return data


class SlotClearForm(forms.Form):
    expected_contact_id = IdField(
        widget=forms.HiddenInput,
        error_messages={"required": "This slot looked empty already; reload the page."},
    )
    reason = forms.CharField(required=False, max_length=300, widget=REASON_WIDGET)


class SlotBulkFillForm(forms.Form):
    threshold = forms.DecimalField(min_value=0, max_value=1, decimal_places=2, initial="0.70")
    margin = forms.DecimalField(min_value=0, max_value=1, decimal_places=2, initial="0.15")
    slot_ids = forms.CharField(required=False, widget=forms.HiddenInput)
    plan = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_slot_ids(self):
        raw = self.cleaned_data.get("slot_ids") or ""
        try:
            return [parse_id(x) for x in raw.split(",") if x.strip()]
        except forms.ValidationError:
            raise forms.ValidationError("The list of slots is malformed; start again.") from None


MONTH_CHOICES = [("", "Unknown")] + [(n, calendar.month_name[n]) for n in range(1, 13)]
TEXT_MAX = 300  # the columns are unbounded text; a company's name or city is never this long


class CompanyForm(forms.ModelForm):
    """A company's own fields as a coordinator creates or edits them (never its ids, domain,
    dates or provenance: the database derives those)."""

    renewal_month = forms.TypedChoiceField(
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label="Renewal month",
        help_text="The month the company's benefits renew. Campaigns start the notice window "
        "before it; leave Unknown until you know it.",
    )

    class Meta:
        model = Company
        fields = list(COMPANY_FIELDS)
        labels = {
            "company_name": "Company name",
            "website_url": "Website",
            "renewal_notice_window_days": "Notice window (days)",
            "address_line1": "Address",
            "address_line2": "Address line 2",
            "state_region": "State or region",
        }
        help_texts = {
            "website_url": "An http:// or https:// address; the domain is taken from it.",
            "renewal_notice_window_days": "How many days before the renewal the campaign "
            "window opens (0–365, usually 120).",
            "status": "Archived companies leave the queues; their slots cannot be filled.",
        }
        widgets = {
            "company_name": forms.TextInput(attrs={"autofocus": True}),
            "website_url": forms.URLInput(attrs={"placeholder": "https://example.com"}),
            **{
                name: forms.TextInput
                for name in (
                    "industry",
                    "address_line1",
                    "address_line2",
                    "city",
                    "state_region",
                    "postal_code",
                    "country",
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                if Company._meta.get_field(name).null:
                    field.empty_value = None  # a blank field stores NULL, as before, not ''
                field.max_length = TEXT_MAX
                field.validators.append(MaxLengthValidator(TEXT_MAX))
                field.widget.attrs["maxlength"] = TEXT_MAX
            if name == "renewal_notice_window_days":
                field.min_value, field.max_value = 0, 365
                field.validators += [MinValueValidator(0), MaxValueValidator(365)]
                field.widget.attrs.update(min=0, max=365)
            if not isinstance(field.widget, forms.HiddenInput):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    def clean_company_name(self):
        name = (self.cleaned_data.get("company_name") or "").strip()
        if not name:
            raise forms.ValidationError("Give the company a name.")
        return name


class CompanyEditForm(ExpectedVersionForm, CompanyForm):
    """``CompanyForm`` plus the version the user loaded (``updated_at``), for conflict checks."""
