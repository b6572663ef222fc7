from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView

from outreach_admin.forms import optional_id
from outreach_admin.permissions import ActorRequiredMixin, can_act, is_admin
from outreach_admin.views import ActionView, ObjectListView
from people import selectors, services
from people.filters import ContactFilterSet, ResolutionQueueFilterSet
from people.forms import (
    BulkMergeForm,
    ContactEditForm,
    ContactForm,
    JobChangeForm,
    PairActionForm,
    PersonMergeForm,
)
from people.models import Contact, MergeLog, ResolutionQueue
from people.provenance import person_field_provenance
from people.tables import ContactTable, MergeLogTable, ResolutionQueueTable

BULK_RESULT_KEY = "people_bulk_merge_result"


class ContactListView(ObjectListView):
    model = Contact
    selector = selectors.contact_queryset
    table_class = ContactTable
    filterset_class = ContactFilterSet
    template_name = "people/contact_list.html"
    show_actions = True


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
        ctx["provenance"] = person_field_provenance(self.object.pk)
        ctx["can_act"] = can_act(self.request.user)
        return ctx


class _ContactFormView(ActorRequiredMixin, FormView):
    template_name = "people/contact_form.html"

    def form_valid(self, form):
        try:
            person = self.save(form.cleaned_data, self.request.user.get_username())
        except services.PersonError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("people:contact", args=[person.pk]))


class ContactCreateView(_ContactFormView):
    form_class = ContactForm
    extra_context = {"creating": True}

    def save(self, data, actor):
        person = services.person_create(actor=actor, data=data)
        messages.success(self.request, f"{person.full_name} created.")
        return person


class ContactEditView(_ContactFormView):
    form_class = ContactEditForm

    @cached_property
    def person(self):
        """Read after the permission check (a viewer gets 403, not a 404 that says whether the
        person exists)."""
        return get_object_or_404(Contact, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.person}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def save(self, data, actor):
        person = services.person_update(
            actor=actor,
            person_id=self.person.pk,
            expected_updated_at=data["expected_updated_at"],
            data=data,
        )
        if not person.changed_fields:
            messages.info(self.request, "Nothing changed; nothing was saved.")
            return person
        messages.success(self.request, f"{person.full_name} saved.")
        if person.stale_slots:
            slots = ", ".join(f"{role} at {name}" for _id, role, name in person.stale_slots)
            messages.warning(
                self.request,
                f"{person.full_name}'s slots are now stale and back in the open-slots queue: "
                f"{slots}.",
            )
        return person


class ResolutionQueueListView(ObjectListView):
    model = ResolutionQueue
    table_class = ResolutionQueueTable
    filterset_class = ResolutionQueueFilterSet
    template_name = "people/resolution_list.html"
    show_actions = True

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
        ctx["is_admin"] = is_admin(self.request.user)
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
        ctx["rules"] = selectors.match_reasons(pair)
        ctx["next_id"] = selectors.next_pending_id(pair)
        ctx["can_act"] = can_act(self.request.user)
        ctx["open"] = pair.resolution_status in ("pending", "deferred")
        ctx["job_change"] = _job_change_choice(compare["survivor"], compare["absorbed"])
        return ctx


def _job_change_choice(first: Contact, second: Contact):
    """The two records as (person, is the default current job) when they are at two different
    companies (a job change is possible), else None."""
    if not (first.company_id and second.company_id) or first.company_id == second.company_id:
        return None
    current = services.job_change_current(first, second)
    return [(p, p.pk == current.pk) for p in sorted((first, second), key=lambda p: p.pk)]


class MergeLogListView(ObjectListView):
    model = MergeLog
    selector = selectors.merge_log_queryset
    table_class = MergeLogTable
    filterset_class = None
    filterset_fields = ["merged_by"]
    template_name = "people/merge_list.html"


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


class _PairActionView(ActionView):
    """Decide a pair without merging; then on to the next pending pair (or ``next``)."""

    form_class = PairActionForm
    error_classes = (services.PeopleError,)
    fallback_url = "people:resolution_list"
    service = None
    done = ""

    def form_invalid(self, form):
        messages.error(self.request, "The form was invalid; nothing changed.")
        return redirect("people:resolution", pk=self.kwargs["pk"])

    def perform(self, form):
        pair = type(self).service(
            resolution_id=self.kwargs["pk"], actor=self.request.user.get_username()
        )
        messages.success(self.request, self.done.format(pair=pair))
        nxt = selectors.next_pending_id(pair)
        return self.back(reverse("people:resolution", args=[nxt]) if nxt else None)


class PairNotDuplicateView(_PairActionView):
    service = staticmethod(services.pair_mark_not_duplicate)
    done = "Pair #{pair.pk} marked as not a duplicate; it will not be proposed again."


class PairDeferView(_PairActionView):
    service = staticmethod(services.pair_defer)
    done = "Pair #{pair.pk} deferred."


class PairJobChangeView(ActionView):
    """Link a pair as one person's job change (the former record leaves its company)."""

    form_class = JobChangeForm
    error_classes = (services.PeopleError,)
    fallback_url = "people:resolution_list"

    def form_invalid(self, form):
        messages.error(self.request, "Choose which record is the current job; nothing changed.")
        return redirect("people:resolution", pk=self.kwargs["pk"])

    def refused(self, exc):
        messages.error(self.request, str(exc))
        return redirect("people:resolution", pk=self.kwargs["pk"])

    def perform(self, form):
        pair = services.pair_link_job_change(
            resolution_id=self.kwargs["pk"],
            actor=self.request.user.get_username(),
            current_id=form.cleaned_data["current_id"],
        )
        former, current = pair.former, pair.current
        text = (
            f"Pair #{pair.pk} linked as a job change: {current.full_name} (#{current.pk}) is "
            f"the current record; #{former.pk} is marked as having left the company."
        )
        if pair.stale_slots:
            slots = ", ".join(f"{role} at {name}" for _id, role, name in pair.stale_slots)
            text += f" Their slots are now stale and back in the open-slots queue: {slots}."
        messages.success(self.request, text)
        nxt = selectors.next_pending_id(pair)
        return self.back(reverse("people:resolution", args=[nxt]) if nxt else None)


class PersonMergeView(ActionView):
    form_class = PersonMergeForm
    invalid_message = "The merge form was incomplete or invalid; nothing changed."
    error_classes = (services.PeopleError,)
    fallback_url = "people:resolution_list"

    def perform(self, form):
        log = services.person_merge(
            survivor_id=form.cleaned_data["survivor_id"],
            absorbed_id=form.cleaned_data["absorbed_id"],
            field_choices=form.field_choices(),
            actor=self.request.user.get_username(),
            resolution_id=form.cleaned_data["resolution_id"],
        )
        messages.success(
            self.request,
            f"Merged {log.absorbed.full_name} (#{log.absorbed_id}) into "
            f"{log.survivor.full_name} (#{log.survivor_id}). You can undo this merge here.",
        )
        return redirect("people:merge", pk=log.pk)


class MergeUndoView(ActionView):
    error_classes = (services.PeopleError,)

    def perform(self, form):
        log = services.merge_undo(
            merge_id=self.kwargs["pk"], actor=self.request.user.get_username()
        )
        messages.success(
            self.request,
            f"Merge #{log.pk} undone: {log.absorbed.full_name} (#{log.absorbed_id}) is back "
            "with everything that moved.",
        )
        return redirect("people:merge", pk=log.pk)

    def refused(self, exc):
        messages.error(self.request, str(exc))
        pk = self.kwargs["pk"]
        if MergeLog.objects.filter(pk=pk).exists():
            return redirect("people:merge", pk=pk)
        return redirect("people:merge_list")


class BulkMergeView(ActionView):
    """GET: the unambiguous pending pairs with a preview; POST: confirm, then merge each."""

    template_name = "people/bulk_merge.html"
    form_class = BulkMergeForm

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

    def form_invalid(self, form):
        messages.error(self.request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("people:resolution_list")

    def perform(self, form):
        results = services.pairs_bulk_merge(
            resolution_ids=form.cleaned_data["resolution_ids"],
            actor=self.request.user.get_username(),
            dry_run=False,
        )
        merged = sum(1 for r in results if r["ok"])
        messages.info(self.request, f"Bulk merge: {merged} of {len(results)} pairs merged.")
        return render(self.request, self.template_name, {"results": results, "preview": False})
