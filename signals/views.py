from django.contrib import messages
from django.shortcuts import redirect
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from outreach_admin.exports import CsvExportMixin
from outreach_admin.forms import IdListField
from outreach_admin.pagination import KeysetPaginator
from outreach_admin.permissions import ActorRequiredMixin, can_act
from signals import services
from signals.filters import SignalFilterSet
from signals.models import Signal
from signals.tables import SignalTable


class SignalListView(CsvExportMixin, SingleTableMixin, FilterView):
    model = Signal
    table_class = SignalTable
    filterset_class = SignalFilterSet
    template_name = "signals/signal_list.html"
    table_pagination = {"paginator_class": KeysetPaginator}

    def get_queryset(self):
        return Signal.objects.select_related("company", "company__score").order_by(
            "-created_at", "-signal_id"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_act"] = can_act(self.request.user)
        return context


class SignalProcessView(ActorRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        back = request.POST.get("next") or ""
        target = back if back.startswith("/signals/") else "signals:signal_list"
        try:
            ids = IdListField().clean(request.POST.getlist("signal"))
        except Exception:
            messages.error(request, "Nothing changed: select signals with the checkboxes.")
            return redirect(target)
        changed = services.signal_mark_processed(signal_ids=ids, actor=request.user.get_username())
        skipped = len(ids) - changed
        text = f"{changed} signal{'s' if changed != 1 else ''} marked processed."
        if skipped:
            text += f" {skipped} already processed (or gone), left as they were."
        messages.success(request, text)
        return redirect(target)
