from django.contrib import messages

from outreach_admin.forms import IdListField
from outreach_admin.views import ActionView, ObjectListView
from signals import services
from signals.filters import SignalFilterSet
from signals.models import Signal
from signals.tables import SignalTable


class SignalListView(ObjectListView):
    model = Signal
    queryset = Signal.objects.select_related("company", "company__score").order_by(
        "-created_at", "-signal_id"
    )
    table_class = SignalTable
    filterset_class = SignalFilterSet
    template_name = "signals/signal_list.html"
    show_actions = True


class SignalProcessView(ActionView):
    http_method_names = ["post"]
    fallback_url = "signals:signal_list"
    next_prefix = "/signals/"

    def perform(self, form):
        try:
            ids = IdListField().clean(self.request.POST.getlist("signal"))
        except Exception:
            messages.error(self.request, "Nothing changed: select signals with the checkboxes.")
            return self.back()
        changed = services.signal_mark_processed(
            signal_ids=ids, actor=self.request.user.get_username()
        )
        skipped = len(ids) - changed
        text = f"{changed} signal{'s' if changed != 1 else ''} marked processed."
        if skipped:
            text += f" {skipped} already processed (or gone), left as they were."
        messages.success(self.request, text)
        return self.back()
