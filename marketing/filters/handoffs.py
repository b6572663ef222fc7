from datetime import timedelta

import django_filters as df
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from marketing.models import AcHandoff, BookingEvent
from outreach_admin.forms import optional_id
from outreach_admin.permissions import ACTING_GROUPS

YES_NO = [("yes", "Yes"), ("no", "No")]
REVIEWED = [("today", "Today"), ("week", "This week"), ("30", "Last 30 days")]
WHEN = [("upcoming", "Upcoming"), ("past", "Past")]


def reviewer_choices(request_user=None):
    """Coordinators and admins (a small group), plus "me" and "unassigned"."""
    users = (
        get_user_model()
        .objects.filter(Q(groups__name__in=ACTING_GROUPS) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )
    choices = [("me", "Me"), ("none", "Unassigned")]
    return choices + [(str(u.pk), u.get_full_name() or u.get_username()) for u in users]


def _start_of(period):
    now = timezone.localtime()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "today":
        return today
    if period == "week":
        return today - timedelta(days=today.weekday())
    return today - timedelta(days=30)


class AcHandoffFilterSet(df.FilterSet):
    status = df.ChoiceFilter(choices=AcHandoff.Status.choices, empty_label="Any status")
    assignee = df.ChoiceFilter(method="filter_assignee", label="Assignee", empty_label="Anyone")
    overdue = df.ChoiceFilter(
        choices=YES_NO, method="filter_overdue", label="Overdue", empty_label="Any"
    )
    open = df.ChoiceFilter(
        choices=YES_NO, method="filter_open", label="Open (pending or accepted)", empty_label="Any"
    )
    reviewed = df.ChoiceFilter(
        choices=REVIEWED, method="filter_reviewed", label="Reviewed", empty_label="Any time"
    )
    campaign = df.CharFilter(
        field_name="booking_event__campaign__name", lookup_expr="icontains", label="Campaign"
    )
    company = df.CharFilter(
        field_name="company__company_name", lookup_expr="icontains", label="Company"
    )

    class Meta:
        model = AcHandoff
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["assignee"].extra["choices"] = reviewer_choices()

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assigned_to=self.request.user)
        if value == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset.filter(assigned_to_id=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=(value == "yes"))

    def filter_open(self, queryset, name, value):
        open_statuses = ["pending", "accepted"]
        if value == "yes":
            return queryset.filter(status__in=open_statuses)
        return queryset.exclude(status__in=open_statuses)

    def filter_reviewed(self, queryset, name, value):
        return queryset.filter(reviewed_at__gte=_start_of(value))


class BookingEventFilterSet(df.FilterSet):
    when = df.ChoiceFilter(choices=WHEN, method="filter_when", label="When", empty_label="All")
    contact = df.CharFilter(method="filter_contact", label="Person")
    company = df.CharFilter(
        field_name="company__company_name", lookup_expr="icontains", label="Company"
    )
    source = df.CharFilter(lookup_expr="icontains")

    class Meta:
        model = BookingEvent
        fields = []

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(event_time__gte=now).order_by("event_time")
        return queryset.filter(event_time__lt=now).order_by("-event_time")

    def filter_contact(self, queryset, name, value):
        value = value.strip()
        if (contact_id := optional_id(value)) is not None:
            return queryset.filter(contact_id=contact_id)
        return queryset.filter(contact__full_name__icontains=value)
