from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from companies import selectors, services
from companies.filters import CompanyFilterSet, CompanySlotFilterSet
from companies.forms import SlotAssignForm, SlotBulkFillForm, SlotClearForm
from companies.models import Company, CompanySlot
from companies.tables import CompanySlotTable, CompanyTable
from intake.selectors import lineage_for_company
from outreach_admin.exports import CsvExportMixin
from outreach_admin.pagination import KeysetPaginator
from outreach_admin.permissions import ActorRequiredMixin, can_act
from outreach_admin.redirects import safe_next_url
from outreach_admin.timeline import timeline_for
from people.models import Contact

BULK_FILL_MAX = 500
BULK_RESULT_KEY = "companies_bulk_fill_result"


class CompanyListView(CsvExportMixin, SingleTableMixin, FilterView):
    model = Company
    table_class = CompanyTable
    filterset_class = CompanyFilterSet
    template_name = "companies/company_list.html"
    table_pagination = {"paginator_class": KeysetPaginator}

    def get_queryset(self):
        return selectors.company_list()


class CompanyDetailView(DetailView):
    template_name = "companies/company.html"
    context_object_name = "company"

    def get_object(self, queryset=None):
        try:
            return selectors.company_detail(self.kwargs["pk"])
        except Company.DoesNotExist:
            raise Http404("No such company.") from None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        c = self.object
        slots = selectors.company_slots(c.pk)
        ctx.update(
            selectors.company_panels(c.pk),
            slots=slots,
            today=timezone.localdate(),
            history=selectors.company_history(c.pk, roles={s.pk: s.role_code for s in slots}),
            can_act=can_act(self.request.user),
            timeline=timeline_for(company_id=c.pk),
            lineage=lineage_for_company(c.pk),
        )
        return ctx


class SlotQueueView(CsvExportMixin, SingleTableMixin, FilterView):
    model = CompanySlot
    table_class = CompanySlotTable
    filterset_class = CompanySlotFilterSet
    template_name = "companies/slot_queue.html"
    table_pagination = {"paginator_class": KeysetPaginator}

    def get_queryset(self):
        return selectors.slot_queue()

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        selectors.attach_candidates(row.record for row in table.page.object_list)
        return table

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        for key in ("page", "sort", "per_page"):
            params.pop(key, None)
        ctx.update(
            coverage=selectors.coverage(),
            can_act=can_act(self.request.user),
            bulk_form=SlotBulkFillForm(),
            filter_params=[(k, v) for k in params for v in params.getlist(k) if v],
        )
        return ctx


class SlotDetailView(DetailView):
    template_name = "companies/slot.html"
    context_object_name = "slot"

    def get_object(self, queryset=None):
        return get_object_or_404(
            CompanySlot.objects.select_related("contact", "contact__verification"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        slot = self.object
        q = self.request.GET.get("q", "").strip()
        slots = selectors.company_slots(slot.company_id)
        ctx.update(
            company=selectors.company_detail(slot.company_id),
            slots=slots,
            board_slot=next(s for s in slots if s.pk == slot.pk),
            candidates=selectors.slot_candidates(slot, limit=20),
            q=q,
            search_results=selectors.person_search(q, exclude_id=slot.contact_id) if q else [],
            can_act=can_act(self.request.user),
        )
        return ctx


class SlotNextView(View):
    """Jump to the open slot after this one in queue order (computed only when asked for)."""

    def get(self, request, pk):
        slot = get_object_or_404(CompanySlot, pk=pk)
        next_id = selectors.next_open_slot_id(slot)
        if next_id is None:
            messages.info(request, "No other open slot is left in the queue.")
            return redirect("companies:slot_queue")
        return redirect("companies:slot", pk=next_id)


def _back(request, slot_id):
    nxt = safe_next_url(request, request.POST.get("next"))
    return redirect(nxt) if nxt else redirect("companies:slot", pk=slot_id)


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


class SlotAssignView(ActorRequiredMixin, View):
    """Assign a person to an empty slot, or replace the person in a filled one (with a reason)."""

    def post(self, request, pk):
        slot = get_object_or_404(CompanySlot, pk=pk)
        form = SlotAssignForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return _back(request, slot.pk)
        data = form.cleaned_data
        actor = request.user.get_username()
        try:
            if data["expected_contact_id"]:
                services.slot_replace(
                    slot_id=slot.pk,
                    contact_id=data["contact_id"],
                    actor=actor,
                    expected_contact_id=data["expected_contact_id"],
                    reason=data["reason"],
                )
            else:
                services.slot_assign(
                    slot_id=slot.pk,
                    contact_id=data["contact_id"],
                    actor=actor,
                    reason=data["reason"],
                )
        except services.SlotConflict as exc:
            messages.warning(request, str(exc))
            return redirect("companies:slot", pk=slot.pk)
        except services.SlotError as exc:
            messages.error(request, str(exc))
            return _back(request, slot.pk)
        name = Contact.objects.values_list("full_name", flat=True).get(pk=data["contact_id"])
        messages.success(request, f"{name} is now in the {slot.role_code} slot.")
        return _back(request, slot.pk)


class SlotClearView(ActorRequiredMixin, View):
    """Empty a filled slot (optionally with a reason)."""

    def post(self, request, pk):
        slot = get_object_or_404(CompanySlot, pk=pk)
        form = SlotClearForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return _back(request, slot.pk)
        try:
            services.slot_clear(
                slot_id=slot.pk,
                actor=request.user.get_username(),
                expected_contact_id=form.cleaned_data["expected_contact_id"],
                reason=form.cleaned_data["reason"],
            )
        except services.SlotConflict as exc:
            messages.warning(request, str(exc))
            return redirect("companies:slot", pk=slot.pk)
        except services.SlotError as exc:
            messages.error(request, str(exc))
            return _back(request, slot.pk)
        messages.success(request, f"The {slot.role_code} slot is now empty.")
        return _back(request, slot.pk)


def _plan(outcomes) -> str:
    return ";".join(f"{o.slot_id}:{o.action}:{o.contact_id or ''}" for o in outcomes)


class SlotBulkFillView(ActorRequiredMixin, View):
    """Bulk fill the filtered queue: first POST previews (dry run), the confirmed POST fills.

    The confirmed POST carries the previewed slot ids and plan; when the real run differs
    (someone filled or changed a slot in between) the result page says which slots changed.
    """

    def post(self, request):
        form = SlotBulkFillForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("companies:slot_queue")
        data = form.cleaned_data
        actor = request.user.get_username()
        confirmed = request.POST.get("confirmed") == "yes"
        if not confirmed:
            filters = CompanySlotFilterSet(request.POST, queryset=selectors.slot_queue())
            ids = list(
                filters.qs.filter(contact__isnull=True).values_list("pk", flat=True)[:BULK_FILL_MAX]
            )
            if not ids:
                messages.info(request, "No empty slots match these filters; nothing to fill.")
                return redirect("companies:slot_queue")
        else:
            ids = data["slot_ids"]
        outcomes = services.slots_bulk_fill(
            slot_ids=ids,
            actor=actor,
            threshold=float(data["threshold"]),
            margin=float(data["margin"]),
            dry_run=not confirmed,
        )
        if not confirmed:
            return render(
                request,
                "companies/slot_bulk_fill.html",
                {
                    "outcomes": outcomes,
                    "fills": sum(o.action == "fill" for o in outcomes),
                    "capped": len(ids) >= BULK_FILL_MAX,
                    "slot_ids": ",".join(map(str, ids)),
                    "plan": _plan(outcomes),
                    "threshold": data["threshold"],
                    "margin": data["margin"],
                    "preview": True,
                },
            )
        previewed = dict(p.split(":", 1) for p in data["plan"].split(";") if ":" in p)
        changed = [
            o.slot_id
            for o in outcomes
            if previewed.get(str(o.slot_id)) != _plan([o]).split(":", 1)[1]
        ]
        request.session[BULK_RESULT_KEY] = {
            "outcomes": [o.as_dict() for o in outcomes],
            "changed": changed,
            "threshold": str(data["threshold"]),
            "margin": str(data["margin"]),
        }
        filled = sum(o.action == "fill" for o in outcomes)
        messages.success(
            request, f"Bulk fill done: {filled} filled, {len(outcomes) - filled} skipped."
        )
        if changed:
            messages.warning(
                request,
                f"{len(changed)} slot(s) changed since the preview; their outcome differs "
                "from what was previewed (marked below).",
            )
        return redirect(reverse("companies:slot_bulk_fill_result"))


class SlotBulkFillResultView(TemplateView):
    template_name = "companies/slot_bulk_fill.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        result = self.request.session.get(BULK_RESULT_KEY)
        if not result:
            ctx["outcomes"] = []
            ctx["missing"] = True
            return ctx
        ctx.update(
            outcomes=[services.FillOutcome(**o) for o in result["outcomes"]],
            changed=set(result["changed"]),
            fills=sum(o["action"] == "fill" for o in result["outcomes"]),
            threshold=result["threshold"],
            margin=result["margin"],
            preview=False,
        )
        return ctx
