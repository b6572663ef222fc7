from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from marketing.forms.campaigns import IdListField
from marketing.models import AcHandoff, Campaign, MessageLog
from marketing.services.handoffs import BOOKING_SOURCES, REJECT_REASONS, meeting_time_problem
from outreach_admin.forms import IdField, parse_id
from outreach_admin.permissions import ACTING_GROUPS
from people.models import Contact

MAX_MATCHES = 8


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else ("form-control form-control-sm")
            )
            widget.attrs.setdefault("class", css)


class HandoffActionForm(BootstrapForm):
    expected_status = forms.ChoiceField(
        choices=AcHandoff.Status.choices, widget=forms.HiddenInput, required=False
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class HandoffRejectForm(HandoffActionForm):
    reason_code = forms.ChoiceField(
        label="Reason", choices=[("", "Choose a reason…"), *REJECT_REASONS.items()]
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        error_messages={"required": "A note is required: say what happened."},
    )


def assignable_users():
    """Active coordinators and admins: who a handoff may be assigned to (the service checks
    again under its lock)."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=ACTING_GROUPS) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


class AssigneeField(forms.ModelChoiceField):
    """A select of ``assignable_users()``; an unknown, inactive or viewer id is a form error."""

    default_error_messages = {
        "invalid_choice": "Choose an active coordinator or admin from the list.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("empty_label", "Choose a coordinator…")
        super().__init__(queryset=get_user_model().objects.none(), **kwargs)

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class HandoffReassignForm(BootstrapForm):
    expected_status = forms.ChoiceField(
        choices=AcHandoff.Status.choices, widget=forms.HiddenInput, required=False
    )
    user = AssigneeField(label="Assign to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = assignable_users()


class ContactLookupField(forms.CharField):
    """A person typed as an ID (``12`` or ``#12``) or a name/email that matches one live person."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Person")
        kwargs.setdefault("help_text", "Person ID, or a name or email that matches one person.")
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value).strip().lstrip("#")
        if value.isascii() and value.isdigit():
            pk = parse_id(value, out_of_range=f"No person with ID {value[:30]}.")
            person = Contact.objects.filter(pk=pk).first()
            if person is None:
                raise forms.ValidationError(f"No person with ID {value}.")
            return person.pk
        matches = list(
            Contact.objects.exclude(status="merged")
            .filter(Q(full_name__icontains=value) | Q(email__iexact=value))
            .select_related("company")
            .order_by("full_name")[: MAX_MATCHES + 1]
        )
        if not matches:
            raise forms.ValidationError(f"Nobody matches “{value}”.")
        if len(matches) > 1:
            listed = "; ".join(
                f"{p.full_name} (#{p.pk}{', ' + p.company.company_name if p.company else ''})"
                for p in matches[:MAX_MATCHES]
            )
            more = " and more" if len(matches) > MAX_MATCHES else ""
            raise forms.ValidationError(
                f"Several people match “{value}”: {listed}{more}. Type the ID."
            )
        return matches[0].pk


class OptionalIdField(IdField):
    widget = forms.TextInput
    default_error_messages = {
        "invalid": "Type a number (the campaign's ID), or leave it empty.",
        "out_of_range": "No campaign has that ID.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class CampaignChoiceField(forms.ModelChoiceField):
    """An optional select of started campaigns (a draft has sent nothing, so nobody in it can
    have booked); any other id is a form error."""

    default_error_messages = {
        "invalid_choice": "Choose a started campaign from the list, or leave it empty.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Campaign")
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "No campaign")
        super().__init__(queryset=Campaign.objects.none(), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.status})"


class BookingEventForm(BootstrapForm):
    contact = ContactLookupField()
    event_time = forms.DateTimeField(
        label="Meeting time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    source = forms.ChoiceField(choices=BOOKING_SOURCES.items(), initial="calendar")
    campaign = CampaignChoiceField()
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.exclude(status="draft").order_by(
            "name", "pk"
        )

    def clean_event_time(self):
        """The same limits as marking a member booked (``meeting_time_problem``)."""
        event_time = self.cleaned_data.get("event_time")
        if problem := meeting_time_problem(event_time):
            raise forms.ValidationError(problem)
        return event_time


class MessageLogForm(BootstrapForm):
    contact = ContactLookupField()
    direction = forms.ChoiceField(
        choices=[("outbound", "Outbound (we sent)"), ("inbound", "Inbound (they replied)")]
    )
    channel = forms.ChoiceField(choices=MessageLog.Channel.choices)
    campaign = OptionalIdField(label="Campaign ID", required=False)
    subject = forms.CharField(required=False, max_length=500)
    body = forms.CharField(label="Text", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    sent_at = forms.DateTimeField(
        label="When",
        required=False,
        help_text="Leave empty for now.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )

    def clean(self):
        data = super().clean()
        if not (data.get("subject") or "").strip() and not (data.get("body") or "").strip():
            raise forms.ValidationError("Give the message's subject or text.")
        return data


class HandoffBulkAssignForm(forms.Form):
    ids = IdListField(error_messages={"required": "Select at least one handoff first."})
    assignee = AssigneeField(
        label="Assign selected to",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()
