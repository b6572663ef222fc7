import django_filters
from django import forms

from signals.models import Signal


class SignalFilterSet(django_filters.FilterSet):
    reason = django_filters.CharFilter(lookup_expr="icontains", label="Reason")
    processed = django_filters.ChoiceFilter(
        choices=[("no", "Not processed"), ("yes", "Processed")],
        method="filter_processed",
        label="Processed",
        empty_label="Any",
    )
    company = django_filters.CharFilter(
        field_name="company__company_name", lookup_expr="icontains", label="Company"
    )
    created_after = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label="Since",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Signal
        fields = ()

    def filter_processed(self, queryset, name, value):
        return queryset.filter(processed_at__isnull=(value == "no"))
