import datetime

import django_filters as df
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from companies.models import Company, CompanySlot
from companies.selectors import green_exists, has_candidates_expression
from outreach_admin.fields import ROLE_CHOICES

MONTHS = [(i, datetime.date(2000, i, 1).strftime("%B")) for i in range(1, 13)]
YES_NO = [("yes", "Yes"), ("no", "No")]
COVERAGE = [(str(n), f"{n}/3") for n in (0, 1, 2, 3)]
PROXIMITY = [
    ("open", "Window open now"),
    ("30", "Opens within 30 days"),
    ("60", "Opens within 60 days"),
    ("90", "Opens within 90 days"),
    ("180", "Opens within 180 days"),
]


def _yes(value):
    return value == "yes"


class CompanyFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label="Search")
    industry = df.CharFilter(lookup_expr="icontains", label="Industry")
    state_region = df.CharFilter(lookup_expr="iexact", label="State")
    renewal_month = df.ChoiceFilter(choices=MONTHS, empty_label="Any month")
    in_window = df.ChoiceFilter(
        choices=YES_NO, method="filter_in_window", label="In renewal window", empty_label="Any"
    )
    coverage = df.ChoiceFilter(
        choices=COVERAGE, method="filter_coverage", label="Slots filled", empty_label="Any"
    )
    has_green = df.ChoiceFilter(
        choices=YES_NO, method="filter_has_green", label="Green contact", empty_label="Any"
    )
    status = df.ChoiceFilter(choices=Company.Status.choices, empty_label="Any status")

    class Meta:
        model = Company
        fields = []

    def search(self, queryset, name, value):
        """Name (a part of it, or close to it: a typo or two, by trigram word similarity, as
        the global search and the people list; not when it holds a digit), domain start or
        Barton ID. Both name tests are
        served by the trigram index on lower(company_name) (``icontains`` was an unindexed
        ``UPPER(...) LIKE``)."""
        value = value.strip()
        if not value:
            return queryset
        lowered = value.lower()
        match = Q(name_lower__contains=lowered)
        if not any(ch.isdigit() for ch in value):
            # (not for "Acme 1": a digit is a code, where "Acme 0" is not a typo of it)
            match |= Q(name_lower__trigram_word_similar=lowered)
        return queryset.alias(name_lower=Lower("company_name")).filter(
            match | Q(domain__istartswith=lowered) | Q(company_unique_id__startswith=value)
        )

    def filter_in_window(self, queryset, name, value):
        today = timezone.localdate()
        if _yes(value):
            return queryset.filter(window_start__lte=today)
        return queryset.filter(Q(window_start__gt=today) | Q(window_start__isnull=True))

    def filter_coverage(self, queryset, name, value):
        return queryset.filter(filled_count=int(value))

    def filter_has_green(self, queryset, name, value):
        green = green_exists()
        return queryset.filter(green if _yes(value) else ~green)


class CompanySlotFilterSet(df.FilterSet):
    role_code = df.ChoiceFilter(choices=ROLE_CHOICES, label="Role", empty_label="Any role")
    industry = df.CharFilter(
        field_name="company__industry", lookup_expr="icontains", label="Industry"
    )
    state = df.CharFilter(field_name="company__state_region", lookup_expr="iexact", label="State")
    window = df.ChoiceFilter(
        choices=PROXIMITY, method="filter_window", label="Renewal window", empty_label="Any time"
    )
    has_candidates = df.ChoiceFilter(
        choices=YES_NO, method="filter_has_candidates", label="Has candidates", empty_label="Any"
    )

    class Meta:
        model = CompanySlot
        fields = []

    def filter_window(self, queryset, name, value):
        today = timezone.localdate()
        if value == "open":
            return queryset.filter(window_start__lte=today)
        return queryset.filter(window_start__lte=today + datetime.timedelta(days=int(value)))

    def filter_has_candidates(self, queryset, name, value):
        queryset = queryset.alias(has_cand=has_candidates_expression())
        return queryset.filter(has_cand=_yes(value))
