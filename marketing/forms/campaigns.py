from django import forms

from marketing.models import Campaign
from marketing.services.campaigns import OUTCOMES, ROLES
from outreach_admin.forms import IdListField

__all__ = [
    "CampaignBulkTransitionForm",
    "CampaignForm",
    "CampaignMemberOutcomeForm",
    "CampaignTransitionForm",
    "IdListField",
]


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
