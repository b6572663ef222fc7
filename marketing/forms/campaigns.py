from django import forms

from marketing.models import Campaign
from marketing.services.campaigns import OUTCOMES, ROLES
from marketing.services.handoffs import BOOKING_SOURCES, meeting_time_problem
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
    event_time = forms.DateTimeField(
        label="Meeting time",
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control form-control-sm"},
            format="%Y-%m-%dT%H:%M",
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    source = forms.ChoiceField(
        label="Booked through",
        required=False,
        choices=[("", "Choose…"), *BOOKING_SOURCES.items()],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") != "booked":
            return data
        problem = meeting_time_problem(data.get("event_time"))
        if problem and "event_time" not in self.errors:
            self.add_error("event_time", problem)
        if not data.get("source") and "source" not in self.errors:
            self.add_error("source", "Say where the booking came from.")
        return data


class CampaignBulkTransitionForm(forms.Form):
    ids = IdListField(error_messages={"required": "Select at least one campaign first."})
    to_status = forms.ChoiceField(choices=Campaign.Status.choices, label="Change status to")
