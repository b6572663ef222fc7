from django import forms

from marketing.models import Campaign
from marketing.services import OUTCOMES, ROLES


class IdListField(forms.Field):
    """Repeated hidden inputs (``name=1&name=2``) → a sorted list of distinct positive ints."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "Ids must be whole numbers."}

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            ids = sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(i <= 0 for i in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ids


class CampaignForm(forms.Form):
    name = forms.CharField(
        max_length=200, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )
    type = forms.ChoiceField(
        choices=Campaign.Type.choices,
        initial=Campaign.Type.RENEWAL,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    target_roles = forms.MultipleChoiceField(
        choices=[(r, r) for r in ROLES],
        initial=list(ROLES),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="Target roles",
        error_messages={"required": "Choose at least one role (CEO, CFO or HR)."},
    )
    company = IdListField(required=True, error_messages={"required": "Select companies first."})


class CampaignTransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Campaign.Status.choices)


class CampaignMemberOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[(o, o) for o in OUTCOMES])


class CampaignBulkTransitionForm(forms.Form):
    ids = IdListField(error_messages={"required": "Select at least one campaign first."})
    to_status = forms.ChoiceField(choices=Campaign.Status.choices, label="Change status to")
