import django_filters as df
from django.db.models import Q

from intake.forms import SOURCES
from intake.models import AuditLog, BatchSummary, PleCycle, RawLoad, UploadJob

STATUSES = RawLoad.Status.choices


class BatchFilterSet(df.FilterSet):
    q = df.CharFilter(field_name="batch_id", lookup_expr="icontains", label="Batch")
    source = df.ChoiceFilter(choices=SOURCES, empty_label="Any source")
    status = df.ChoiceFilter(
        choices=STATUSES, method="filter_status", label="Has loads", empty_label="Any"
    )
    # Days are UTC days (the summary's grain; TIME_ZONE is UTC here).
    created_from = df.DateFilter(field_name="load_day", lookup_expr="gte", label="From")
    created_to = df.DateFilter(field_name="load_day", lookup_expr="lte", label="To")

    class Meta:
        model = BatchSummary
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(**{f"n_{value}__gt": 0})


class RawLoadFilterSet(df.FilterSet):
    status = df.ChoiceFilter(choices=STATUSES, empty_label="Any status")
    email = df.CharFilter(method="filter_email", label="Email")

    class Meta:
        model = RawLoad
        fields = []

    def filter_email(self, queryset, name, value):
        return queryset.filter(email__icontains=value.strip())


class AuditLogFilterSet(df.FilterSet):
    action = df.CharFilter(lookup_expr="iexact")
    batch_id = df.CharFilter(lookup_expr="icontains", label="Batch")
    user_name = df.CharFilter(lookup_expr="icontains", label="User")
    created_from = df.DateFilter(field_name="created_at", lookup_expr="date__gte", label="From")
    created_to = df.DateFilter(field_name="created_at", lookup_expr="date__lte", label="To")

    class Meta:
        model = AuditLog
        fields = []


class PleCycleFilterSet(df.FilterSet):
    q = df.CharFilter(method="search", label="Name")
    status = df.ChoiceFilter(choices=PleCycle.Status.choices, empty_label="Any status")
    started_from = df.DateFilter(field_name="started_at", lookup_expr="date__gte", label="From")

    class Meta:
        model = PleCycle
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(cycle_name__icontains=value) | Q(started_by__icontains=value))


class UploadJobFilterSet(df.FilterSet):
    status = df.ChoiceFilter(choices=UploadJob.Status.choices, empty_label="Any status")
    batch_id = df.CharFilter(lookup_expr="icontains", label="Batch")
    created_by = df.CharFilter(lookup_expr="iexact", label="By")

    class Meta:
        model = UploadJob
        fields = []
