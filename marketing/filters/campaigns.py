import calendar

import django_filters
from django import forms
from django.db.models import Q

from marketing.models import Campaign, CampaignContact
from marketing.selectors.campaigns import ROLES, RenewalReadiness

MONTHS = [(i, calendar.month_name[i]) for i in range(1, 13)]
ROLE_CHOICES = [(r, r) for r in ROLES]
READINESS_CHOICES = [
    ("yes", "Ready to launch"),
    ("no", "Not ready (and why)"),
    ("any", "Any readiness"),
]
READINESS_TITLES = dict(READINESS_CHOICES)


class RenewalReadinessFilterSet(django_filters.FilterSet):
    ready = django_filters.ChoiceFilter(
        choices=READINESS_CHOICES,
        method="filter_ready",
        label="Show",
        empty_label=None,
        # Chosen with the tabs above the form; the form carries it so Apply keeps it.
        widget=forms.HiddenInput,
    )
    q = django_filters.CharFilter(
        field_name="company_name", lookup_expr="icontains", label="Company"
    )
    opens_within = django_filters.NumberFilter(
        method="filter_opens_within",
        label="Window opens within (days)",
        min_value=0,
        max_value=365,
        widget=forms.NumberInput(attrs={"placeholder": "0 = open now", "min": 0, "max": 365}),
    )
    renewal_month = django_filters.ChoiceFilter(
        choices=MONTHS, label="Renewal month", empty_label="Any"
    )
    industry = django_filters.CharFilter(lookup_expr="icontains", label="Industry")
    state = django_filters.CharFilter(
        field_name="state_region", lookup_expr="iexact", label="State"
    )
    coverage = django_filters.MultipleChoiceFilter(
        choices=ROLE_CHOICES,
        method="filter_coverage",
        label="Green contact in",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RenewalReadiness
        fields = ()

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so the defaults apply to a plain visit too. Readiness defaults to
        # "ready" (the cheap, index-ordered list); an "opens within" view lists upcoming windows,
        # which cannot be ready yet, so there it defaults to "any". The form shows the choice.
        data = data.copy() if data is not None else {}
        if not data.get("ready"):
            data["ready"] = "any" if data.get("opens_within") not in (None, "") else "yes"
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset):
        # Without "opens within", only companies whose window is open now are listed.
        if self.form.cleaned_data.get("opens_within") is None:
            queryset = queryset.filter(in_window=True)
        return super().filter_queryset(queryset)

    def filter_opens_within(self, queryset, name, value):
        return queryset.filter(days_until_window__lte=int(value))

    def filter_coverage(self, queryset, name, value):
        return queryset.filter(green_roles__contains=list(value)) if value else queryset

    def filter_ready(self, queryset, name, value):
        if value == "any":
            return queryset
        return queryset.filter(ready=(value == "yes"))

    @property
    def readiness(self) -> str:
        """The readiness list shown: "yes", "no" or "any" (the default when the form is bad)."""
        value = self.data.get("ready")
        return value if value in READINESS_TITLES else "yes"


class CampaignFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    status = django_filters.ChoiceFilter(choices=Campaign.Status.choices, empty_label="Any")
    type = django_filters.ChoiceFilter(choices=Campaign.Type.choices, empty_label="Any")
    created_by = django_filters.CharFilter(lookup_expr="iexact", label="Owner")

    class Meta:
        model = Campaign
        fields = ()


class CampaignContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Person, email or company")
    status = django_filters.ChoiceFilter(
        choices=CampaignContact.Status.choices, empty_label="Any", label="Member status"
    )
    role_code = django_filters.ChoiceFilter(choices=ROLE_CHOICES, empty_label="Any", label="Role")
    on_hold = django_filters.BooleanFilter(
        label="On hold",
        widget=forms.Select(choices=[("", "Any"), ("true", "On hold"), ("false", "Not on hold")]),
    )

    class Meta:
        model = CampaignContact
        fields = ()

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(contact__full_name__icontains=value)
            | Q(contact__email__icontains=value)
            | Q(company__company_name__icontains=value)
        )
