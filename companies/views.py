from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from companies import selectors, services
from companies.filters import CompanyFilterSet, CompanySlotFilterSet
from companies.forms import (
    CompanyEditForm,
    CompanyForm,
    SlotAssignForm,
    SlotBulkFillForm,
    SlotClearForm,
)
from companies.models import Company, CompanySlot
from companies.provenance import company_field_provenance
from companies.tables import CompanySlotTable, CompanyTable
from outreach_admin.permissions import ActorRequiredMixin, can_act
from outreach_admin.views import ActionView, ObjectListView
from people.models import Contact

BULK_FILL_MAX = 500
BULK_RESULT_KEY = "companies_bulk_fill_result"


class CompanyListView(ObjectListView):
    model = Company
    selector = selectors.company_list
    table_class = CompanyTable
    filterset_class = CompanyFilterSet
    template_name = "companies/company_list.html"
    show_actions = True


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
            provenance=company_field_provenance(c.pk),
        )
        return ctx


# Not ActionViews: a GET form page whose POST re-renders the form with its errors in place, so
# nothing typed is lost. Coordinators and admins only (403 for viewers, GET included).
class _CompanyFormView(ActorRequiredMixin, FormView):
    template_name = "companies/company_form.html"

    def form_valid(self, form):
        try:
            company = self.save(form.cleaned_data, self.request.user.get_username())
        except services.CompanyError as exc:
            form.add_error(exc.field, str(exc))
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("companies:company", args=[company.pk]))


class CompanyCreateView(_CompanyFormView):
    form_class = CompanyForm
    extra_context = {"creating": True}

    def save(self, data, actor):
        company = services.company_create(actor=actor, data=data)
        messages.success(
            self.request,
            f"{company.company_name} created with empty CEO, CFO and HR slots.",
        )
        return company


class CompanyEditView(_CompanyFormView):
    form_class = CompanyEditForm

    @cached_property
    def company(self):
        """Read after the permission check (a viewer gets 403, not a 404 that says whether the
        company exists). The form's instance takes the posted values; the page keeps the
        stored name."""
        company = get_object_or_404(Company, pk=self.kwargs["pk"])
        self.company_name = company.company_name
        return company

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.company}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)  # binds the form: self.company is read
        return {**ctx, "company_id": self.company.pk, "company_name": self.company_name}

    def save(self, data, actor):
        company = services.company_update(
            actor=actor,
            company_id=self.company.pk,
            expected_updated_at=data["expected_updated_at"],
            data=data,
        )
        if company.changed_fields:
            messages.success(self.request, f"{company.company_name} saved.")
        else:
            messages.info(self.request, "Nothing changed; nothing was saved.")
        return company


class SlotQueueView(ObjectListView):
    model = CompanySlot
    selector = selectors.slot_queue
    table_class = CompanySlotTable
    filterset_class = CompanySlotFilterSet
    template_name = "companies/slot_queue.html"
    show_actions = True

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


class _SlotActionView(ActionView):
    """A change to one slot: back to ``next`` or the slot page; a conflict (someone changed the
    slot meanwhile) is a warning and always shows the slot page with its current state."""

    model = CompanySlot
    error_classes = (services.SlotError,)

    def get_fallback_url(self):
        return reverse("companies:slot", args=[self.object.pk])

    def refused(self, exc):
        if isinstance(exc, services.SlotConflict):
            messages.warning(self.request, str(exc))
            return redirect("companies:slot", pk=self.object.pk)
        return super().refused(exc)


class SlotAssignView(_SlotActionView):
    """Assign a person to an empty slot, or replace the person in a filled one (with a reason)."""

    form_class = SlotAssignForm

    def perform(self, form):
        slot, data = self.object, form.cleaned_data
        actor = self.request.user.get_username()
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
        name = Contact.objects.values_list("full_name", flat=True).get(pk=data["contact_id"])
        messages.success(self.request, f"{name} is now in the {slot.role_code} slot.")
        return self.back()


class SlotClearView(_SlotActionView):
    """Empty a filled slot (optionally with a reason)."""

    form_class = SlotClearForm

    def perform(self, form):
        services.slot_clear(
            slot_id=self.object.pk,
            actor=self.request.user.get_username(),
            expected_contact_id=form.cleaned_data["expected_contact_id"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(self.request, f"The {self.object.role_code} slot is now empty.")
        return self.back()


def _plan(outcomes) -> str:
    return ";".join(f"{o.slot_id}:{o.action}:{o.contact_id or ''}" for o in outcomes)


class SlotBulkFillView(ActionView):
    """Bulk fill the filtered queue: first POST previews (dry run), the confirmed POST fills.

    The confirmed POST carries the previewed slot ids and plan; when the real run differs
    (someone filled or changed a slot in between) the result page says which slots changed.
    """

    form_class = SlotBulkFillForm
    fallback_url = "companies:slot_queue"
    next_prefix = None

    def perform(self, form):
        request, data = self.request, form.cleaned_data
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
