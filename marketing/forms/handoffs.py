from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from marketing.forms.campaigns import IdListField
from marketing.models import AcHandoff, Campaign, MessageLog
from marketing.services.handoffs import BOOKING_SOURCES, REJECT_REASONS, meeting_time_problem
from outreach_admin.forms import parse_id
from outreach_admin.permissions import ACTING_GROUPS
from outreach_admin.widgets import TypeaheadPicker, id_in_label
from outreach_admin.widgets import label as widget_label
from people.models import Contact

MAX_MATCHES = 8
MAX_TYPED = 300  # a picker label or a typed name; longer is no name


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


class RecordLookupField(forms.CharField):
    """One record picked with the type-ahead (``TypeaheadPicker``) or typed: its ID (``12``,
    ``#12``), the picker's label (``Name (#12)``) or a name that matches exactly one record.
    Cleans to the record's id; an unknown id, no match or several matches are form errors
    (several are listed with their IDs). Subclasses name the model and how to search it."""

    noun = "record"
    kind = ""
    no_match = "No record matches “{value}”."
    several = "Several records match “{value}”"

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TYPED)
        kwargs.setdefault(
            "widget",
            TypeaheadPicker(self.kind, label_for=self.label_for, placeholder=self.placeholder),
        )
        super().__init__(**kwargs)

    placeholder = ""

    def queryset(self):
        raise NotImplementedError

    def matches(self, text):
        """Records whose name (or other key) matches ``text``, best first (a queryset)."""
        raise NotImplementedError

    def title(self, obj) -> str:
        raise NotImplementedError

    def listed(self, obj) -> str:
        return f"{self.title(obj)} (#{obj.pk})"

    def label_for(self, value) -> str:
        """The picker box's text for ``value``: ``Name (#id)`` for a known id, else as typed."""
        text = str(value).strip()
        digits = id_in_label(text) or text.lstrip("#")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
            return text
        obj = self.queryset().filter(pk=int(digits)).first() if int(digits) else None
        return widget_label(self.title(obj), obj.pk) if obj is not None else text

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        value = value.strip()
        value = id_in_label(value) or value.lstrip("#")
        if value.isascii() and value.isdigit():
            missing = f"No {self.noun} with ID {value[:30]}."
            pk = parse_id(value, out_of_range=missing)
            if not self.queryset().filter(pk=pk).exists():
                raise forms.ValidationError(missing)
            return pk
        found = list(self.matches(value)[: MAX_MATCHES + 1])
        if not found:
            raise forms.ValidationError(self.no_match.format(value=value))
        if len(found) > 1:
            listed = "; ".join(self.listed(obj) for obj in found[:MAX_MATCHES])
            more = " and more" if len(found) > MAX_MATCHES else ""
            raise forms.ValidationError(
                f"{self.several.format(value=value)}: {listed}{more}. Pick one from the list or "
                "type the ID."
            )
        return found[0].pk


class ContactLookupField(RecordLookupField):
    """A person: picked by name, or typed as an ID or a name/email that matches one person."""

    noun = "person"
    kind = "person"
    no_match = "Nobody matches “{value}”."
    several = "Several people match “{value}”"
    placeholder = "Type a name or email…"

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Person")
        kwargs.setdefault("help_text", "Type a name or email and pick the person, or their ID.")
        super().__init__(**kwargs)

    def queryset(self):
        return Contact.objects.all()

    def matches(self, text):
        return (
            Contact.objects.exclude(status="merged")
            .filter(Q(full_name__icontains=text) | Q(email__iexact=text))
            .select_related("company")
            .order_by("full_name", "pk")
        )

    def title(self, obj):
        return obj.full_name

    def listed(self, obj):
        company = f", {obj.company.company_name}" if obj.company else ""
        return f"{obj.full_name} (#{obj.pk}{company})"


class CampaignLookupField(RecordLookupField):
    """A campaign: picked by name, or typed as an ID or a name that matches one campaign."""

    noun = "campaign"
    kind = "campaign"
    no_match = "No campaign matches “{value}”."
    several = "Several campaigns match “{value}”"
    placeholder = "Type a campaign name…"

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Campaign")
        kwargs.setdefault("help_text", "Optional: type a name and pick the campaign.")
        super().__init__(**kwargs)

    def queryset(self):
        return Campaign.objects.all()

    def matches(self, text):
        return Campaign.objects.filter(name__icontains=text).order_by("name", "pk")

    def title(self, obj):
        return obj.name


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
    campaign = CampaignLookupField(required=False)
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
