from django import forms

from outreach_admin.forms import IdField, parse_id

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
