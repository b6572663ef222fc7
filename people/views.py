from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from intake.selectors import lineage_for_contact
from outreach_admin.exports import CsvExportMixin
from outreach_admin.forms import optional_id
from outreach_admin.pagination import KeysetPaginator
from outreach_admin.permissions import ActorRequiredMixin, can_act
from outreach_admin.redirects import safe_next_url
from outreach_admin.timeline import timeline_for
from people import selectors, services
from people.filters import ContactFilterSet, ResolutionQueueFilterSet
from people.forms import BulkMergeForm, PairActionForm, PersonMergeForm
from people.models import Contact, MergeLog, ResolutionQueue
from people.tables import ContactTable, MergeLogTable, ResolutionQueueTable

BULK_RESULT_KEY = "people_bulk_merge_result"


def _safe_next(request, fallback: str) -> str:
    return safe_next_url(request, request.POST.get("next")) or fallback


class ContactListView(CsvExportMixin, SingleTableMixin, FilterView):
    model = Contact
    table_class = ContactTable
    filterset_class = ContactFilterSet
    template_name = "people/contact_list.html"
    table_pagination = {"paginator_class": KeysetPaginator}

    def get_queryset(self):
        return selectors.contact_queryset()


class ContactDetailView(DetailView):
    template_name = "people/contact.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        obj = (
            Contact.objects.select_related("company", "verification", "merged_into")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if obj is None:
            raise Http404("No such person.")
        return obj

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(selectors.contact_detail(self.object))
        ctx["timeline"] = timeline_for(contact_id=self.object.pk)
        ctx["lineage"] = lineage_for_contact(self.object.pk)
        ctx["can_act"] = can_act(self.request.user)
        return ctx


class ResolutionQueueListView(CsvExportMixin, SingleTableMixin, FilterView):
    model = ResolutionQueue
    table_class = ResolutionQueueTable
    filterset_class = ResolutionQueueFilterSet
    template_name = "people/resolution_list.html"
    table_pagination = {"paginator_class": KeysetPaginator}

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "status" not in self.request.GET:
            data = self.request.GET.copy()
            data["status"] = "pending"
            kwargs["data"] = data
        return kwargs

    def get_queryset(self):
        return selectors.resolution_queryset().order_by("-score", "resolution_id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["counts"] = selectors.queue_counts()
        ctx["can_act"] = can_act(self.request.user)
        ctx["is_admin"] = _is_admin(self.request.user)
        return ctx


class ResolutionDetailView(DetailView):
    template_name = "people/resolution.html"
    context_object_name = "pair"

    def get_object(self, queryset=None):
        pair = selectors.resolution_queryset().filter(pk=self.kwargs["pk"]).first()
        if pair is None:
            raise Http404("No such pair.")
        return pair

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pair = self.object
        survivor = self.request.GET.get("survivor")
        survivor = optional_id(survivor)
        compare = selectors.pair_compare(pair, survivor)
        ctx.update(compare)
        ctx["preview"] = services.merge_preview(
            survivor_id=compare["survivor"].pk, absorbed_id=compare["absorbed"].pk
        )
        ctx["evidence_rows"] = [
            (k, v) for k, v in (pair.evidence or {}).items() if isinstance(v, dict)
        ]
        ctx["rules"] = [r.replace("_", " ") for r in (pair.evidence or {}).get("rules", [])]
        ctx["next_id"] = selectors.next_pending_id(pair)
        ctx["can_act"] = can_act(self.request.user)
        ctx["open"] = pair.resolution_status in ("pending", "deferred")
        return ctx


class MergeLogListView(CsvExportMixin, SingleTableMixin, FilterView):
    model = MergeLog
    table_class = MergeLogTable
    filterset_class = None
    filterset_fields = ["merged_by"]
    template_name = "people/merge_list.html"
    table_pagination = {"paginator_class": KeysetPaginator}

    def get_queryset(self):
        return selectors.merge_log_queryset()


class MergeLogDetailView(DetailView):
    template_name = "people/merge.html"
    context_object_name = "log"

    def get_object(self, queryset=None):
        log = selectors.merge_log_queryset().filter(pk=self.kwargs["pk"]).first()
        if log is None:
            raise Http404("No such merge.")
        return log

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        log = self.object
        ctx["can_act"] = can_act(self.request.user)
        ctx["changed"] = [
            (
                selectors.FIELD_LABELS.get(f, f),
                log.survivor_before.get(f),
                log.chosen_values.get("survivor_after", {}).get(f),
            )
            for f in log.chosen_values.get("changed", [])
        ]
        moved = []
        for table, rows in log.moved_rows.items():
            if isinstance(rows, list):
                n = len(rows)
                ids = ", ".join(
                    "#" + str(r.get("resolution_id") or r.get("campaign_contact_id"))
                    if isinstance(r, dict)
                    else "#" + str(r)
                    for r in rows[:12]
                )
            else:
                n = 1
                if rows.get("moved"):
                    ids = "moved to the survivor"
                elif "survivor_before" in rows:
                    ids = (
                        "the absorbed person's row was better: copied to the survivor, kept in log"
                    )
                elif "deleted" in rows:
                    ids = "the survivor's row was better: absorbed row kept in log"
                else:
                    ids = ", ".join(k.replace("_", " ") for k in rows)
            moved.append((table, n, ids))
        ctx["moved"] = moved
        return ctx


# --- actions ----------------------------------------------------------------------------------


class _PairActionView(ActorRequiredMixin, View):
    service = None
    done = ""

    def post(self, request, pk):
        form = PairActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The form was invalid; nothing changed.")
            return redirect("people:resolution", pk=pk)
        try:
            pair = type(self).service(resolution_id=pk, actor=request.user.get_username())
        except services.PeopleError as exc:
            messages.error(request, str(exc))
            return redirect(_safe_next(request, reverse("people:resolution_list")))
        messages.success(request, self.done.format(pair=pair))
        nxt = selectors.next_pending_id(pair)
        fallback = (
            reverse("people:resolution", args=[nxt]) if nxt else reverse("people:resolution_list")
        )
        return redirect(_safe_next(request, fallback))


class PairNotDuplicateView(_PairActionView):
    service = staticmethod(services.pair_mark_not_duplicate)
    done = "Pair #{pair.pk} marked as not a duplicate; it will not be proposed again."


class PairDeferView(_PairActionView):
    service = staticmethod(services.pair_defer)
    done = "Pair #{pair.pk} deferred."


class PersonMergeView(ActorRequiredMixin, View):
    def post(self, request):
        form = PersonMergeForm(request.POST)
        back = _safe_next(request, reverse("people:resolution_list"))
        if not form.is_valid():
            messages.error(request, "The merge form was incomplete or invalid; nothing changed.")
            return redirect(back)
        try:
            log = services.person_merge(
                survivor_id=form.cleaned_data["survivor_id"],
                absorbed_id=form.cleaned_data["absorbed_id"],
                field_choices=form.field_choices(),
                actor=request.user.get_username(),
                resolution_id=form.cleaned_data["resolution_id"],
            )
        except services.PeopleError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        messages.success(
            request,
            f"Merged {log.absorbed.full_name} (#{log.absorbed_id}) into "
            f"{log.survivor.full_name} (#{log.survivor_id}). You can undo this merge here.",
        )
        return redirect("people:merge", pk=log.pk)


class MergeUndoView(ActorRequiredMixin, View):
    def post(self, request, pk):
        try:
            log = services.merge_undo(merge_id=pk, actor=request.user.get_username())
        except services.PeopleError as exc:
            messages.error(request, str(exc))
            if MergeLog.objects.filter(pk=pk).exists():
                return redirect("people:merge", pk=pk)
            return redirect("people:merge_list")
        messages.success(
            request,
            f"Merge #{log.pk} undone: {log.absorbed.full_name} (#{log.absorbed_id}) is back "
            "with everything that moved.",
        )
        return redirect("people:merge", pk=log.pk)


class BulkMergeView(ActorRequiredMixin, View):
    """GET: the unambiguous pending pairs with a preview; POST: confirm, then merge each."""

    template_name = "people/bulk_merge.html"

    def get(self, request):
        pairs = [
            p
            for p in selectors.resolution_queryset()
            .filter(
                resolution_status="pending",
                evidence__email__result="equal",
                evidence__name__result="equal",
            )
            .order_by("-score", "resolution_id")[:500]
        ]
        results = services.pairs_bulk_merge(
            resolution_ids=[p.pk for p in pairs], actor=request.user.get_username(), dry_run=True
        )
        return render(request, self.template_name, {"results": results, "preview": True})

    def post(self, request):
        form = BulkMergeForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect("people:resolution_list")
        results = services.pairs_bulk_merge(
            resolution_ids=form.cleaned_data["resolution_ids"],
            actor=request.user.get_username(),
            dry_run=False,
        )
        merged = sum(1 for r in results if r["ok"])
        messages.info(request, f"Bulk merge: {merged} of {len(results)} pairs merged.")
        return render(request, self.template_name, {"results": results, "preview": False})


def _is_admin(user) -> bool:
    return user.is_superuser or user.groups.filter(name="admin").exists()
