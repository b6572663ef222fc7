import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Lower

from outreach_admin.fields import EMAIL_STATUS_CHOICES
from people.models import Contact, ResolutionQueue


class ContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=Contact.Status.choices, empty_label="Any status")
    email_status = django_filters.ChoiceFilter(
        field_name="verification__email_status",
        choices=EMAIL_STATUS_CHOICES,
        label="E-mail status",
        empty_label="Any",
    )
    company = django_filters.CharFilter(
        field_name="company__company_name", lookup_expr="icontains", label="Company"
    )
    has_slot = django_filters.BooleanFilter(
        field_name="has_slot",
        label="Holds a slot",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )

    class Meta:
        model = Contact
        fields = []

    def search(self, queryset, name, value):
        """Name (a part of it, or close to it: a typo or two, by trigram word similarity, as
        the global search), e-mail part or Barton ID. Both name tests are served by the
        trigram index on lower(full_name)."""
        value = value.strip()
        lowered = value.lower()
        return queryset.alias(name_lower=Lower("full_name")).filter(
            Q(name_lower__contains=lowered)
            | Q(name_lower__trigram_word_similar=lowered)
            | Q(email__icontains=value)
            | Q(unique_id=value)
        )


class ResolutionQueueFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        field_name="resolution_status",
        choices=ResolutionQueue.Status.choices,
        empty_label="Any status",
        label="Status",
    )
    conflict_type = django_filters.ChoiceFilter(
        choices=ResolutionQueue.ConflictType.choices, empty_label="Any type"
    )
    company = django_filters.CharFilter(method="by_company", label="Company")
    score_min = django_filters.NumberFilter(field_name="score", lookup_expr="gte", label="Score ≥")
    score_max = django_filters.NumberFilter(field_name="score", lookup_expr="lte", label="Score ≤")

    class Meta:
        model = ResolutionQueue
        fields = []

    def by_company(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(contact_primary__company__company_name__icontains=value)
            | Q(contact_duplicate__company__company_name__icontains=value)
        )
