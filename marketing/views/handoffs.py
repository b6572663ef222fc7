"""Handoff, booking and message pages (WORKFLOWS.md §4)."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import DetailView, FormView

from marketing.filters.handoffs import AcHandoffFilterSet, BookingEventFilterSet
from marketing.forms.handoffs import (
    BookingEventForm,
    HandoffActionForm,
    HandoffBulkAssignForm,
    HandoffReassignForm,
    HandoffRejectForm,
    MessageLogForm,
)
from marketing.models import AcHandoff, BookingEvent
from marketing.selectors import handoffs as selectors
from marketing.services import handoffs as services
from marketing.tables.handoffs import AcHandoffTable, BookingEventTable, url_or_none
from outreach_admin.business_days import sla_days
from outreach_admin.permissions import ActorRequiredMixin, can_act
from outreach_admin.redirects import safe_next_url
from outreach_admin.views import ActionView, ObjectListView


def human_duration(seconds) -> str:
    if seconds is None:
        return "—"
    minutes = int(seconds) // 60
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes / 60
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


class AcHandoffListView(ObjectListView):
    model = AcHandoff
    selector = selectors.handoff_queryset
    table_class = AcHandoffTable
    filterset_class = AcHandoffFilterSet
    template_name = "marketing/handoff_list.html"
    show_actions = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        metrics = selectors.handoff_metrics(user_id=self.request.user.pk)
        metrics["median_decision"] = human_duration(metrics["median_decision_seconds"])
        base = reverse("marketing:handoff_list")
        context.update(
            metrics=metrics,
            sla_days=sla_days(),
            mine_url=f"{base}?assignee=me&open=yes",
            bulk_assign_form=HandoffBulkAssignForm() if can_act(self.request.user) else None,
            quick_links=[
                ("Assigned to me", f"{base}?assignee=me&open=yes"),
                ("My pending", f"{base}?status=pending&assignee=me"),
                ("Overdue", f"{base}?status=pending&overdue=yes"),
                ("Rejected this week", f"{base}?status=rejected&reviewed=week"),
                ("All", base),
            ],
        )
        return context


def detail_context(request, handoff, **forms) -> dict:
    """Everything the handoff page shows: 3 queries (slots, timeline, assignable users)."""
    slots = selectors.handoff_slots(handoff.company_id)
    acting = can_act(request.user)
    status = handoff.status
    context = {
        "handoff": handoff,
        "slots": slots,
        "company_url": url_or_none("companies:company", handoff.company_id),
        "contact_url": url_or_none("people:contact", handoff.contact_id)
        if handoff.contact_id
        else None,
        "campaign_url": url_or_none("marketing:campaign", handoff.booking_event.campaign_id)
        if handoff.booking_event_id and handoff.booking_event.campaign_id
        else None,
        "reject_reason_label": services.REJECT_REASONS.get(handoff.reject_reason or ""),
        "can_act": acting,
        "sla_days": sla_days(),
    }
    if acting:
        initial = {"expected_status": status}
        context.update(
            can_accept=status in services.TRANSITIONS["accept"].sources,
            accept_blocked_by=handoff.assigned_to
            if handoff.assigned_to_id not in (None, request.user.pk)
            else None,
            can_reject=status in services.TRANSITIONS["reject"].sources,
            can_close=status in services.TRANSITIONS["close"].sources,
            close_needs_note=status in services.TRANSITIONS["close"].note_required_from,
            can_reassign=status in services.REASSIGNABLE,
            accept_form=forms.get("accept_form") or HandoffActionForm(initial=initial),
            reject_form=forms.get("reject_form") or HandoffRejectForm(initial=initial),
            close_form=forms.get("close_form") or HandoffActionForm(initial=initial),
            reassign_form=forms.get("reassign_form")
            or HandoffReassignForm(initial={**initial, "user": handoff.assigned_to_id}),
        )
    return context


class AcHandoffDetailView(DetailView):
    template_name = "marketing/handoff_detail.html"

    def get_object(self, queryset=None):
        return selectors.handoff_with_dates(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return detail_context(self.request, self.object)


class HandoffActionView(ActionView):
    """POST one review action: validate the form, call one service, say what happened.

    An invalid form re-renders the handoff page with the form's errors in place (status 400)
    instead of going back; a refusal is a message on the handoff page.
    """

    form_class = HandoffActionForm
    error_classes = (services.HandoffError,)
    next_prefix = None
    form_name = "accept_form"
    done = "accepted"

    def call(self, handoff_id, data, actor):
        raise NotImplementedError

    def get_fallback_url(self):
        return reverse("marketing:handoff", args=[self.kwargs["pk"]])

    def form_invalid(self, form):
        handoff = selectors.handoff_with_dates(self.kwargs["pk"])
        messages.error(self.request, "Nothing was changed: fix the highlighted fields.")
        return render(
            self.request,
            "marketing/handoff_detail.html",
            detail_context(self.request, handoff, **{self.form_name: form}),
            status=400,
        )

    def perform(self, form):
        pk = self.kwargs["pk"]
        self.call(pk, form.cleaned_data, self.request.user.get_username())
        messages.success(self.request, f"Handoff #{pk} {self.done}.")
        return self.back()


class HandoffAcceptView(HandoffActionView):
    def call(self, handoff_id, data, actor):
        services.handoff_accept(
            handoff_id=handoff_id,
            user_id=self.request.user.pk,
            note=data["note"],
            expected_status=data["expected_status"] or None,
            actor=actor,
        )


class HandoffRejectView(HandoffActionView):
    form_class = HandoffRejectForm
    form_name = "reject_form"
    done = "rejected; the company is back in outreach"

    def call(self, handoff_id, data, actor):
        services.handoff_reject(
            handoff_id=handoff_id,
            reason_code=data["reason_code"],
            note=data["note"],
            expected_status=data["expected_status"] or None,
            actor=actor,
        )


class HandoffCloseView(HandoffActionView):
    form_name = "close_form"
    done = "closed"

    def call(self, handoff_id, data, actor):
        services.handoff_close(
            handoff_id=handoff_id,
            note=data["note"],
            expected_status=data["expected_status"] or None,
            actor=actor,
        )


class HandoffReassignView(HandoffActionView):
    form_class = HandoffReassignForm
    form_name = "reassign_form"
    done = "reassigned"

    def call(self, handoff_id, data, actor):
        services.handoff_reassign(
            handoff_id=handoff_id,
            user_id=data["user"].pk,
            expected_status=data["expected_status"] or None,
            actor=actor,
        )


class BookingEventListView(ObjectListView):
    model = BookingEvent
    selector = selectors.booking_list
    table_class = BookingEventTable
    filterset_class = BookingEventFilterSet
    template_name = "marketing/booking_list.html"
    show_actions = True

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not self.request.GET:
            kwargs["data"] = {"when": "upcoming"}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["when"] = self.filterset.form.data.get("when", "")
        return context


def _prefill(request, names):
    return {name: request.GET[name] for name in names if request.GET.get(name)}


# Not ActionViews: a GET form page whose POST re-renders the form with its errors in place.
class BookingEventCreateView(ActorRequiredMixin, FormView):
    form_class = BookingEventForm
    template_name = "marketing/booking_form.html"

    def get_initial(self):
        return _prefill(self.request, ["contact", "campaign", "source"])

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            handoff = services.booking_record(
                contact_id=data["contact"],
                event_time=data["event_time"],
                source=data["source"],
                campaign_id=data["campaign"].pk if data["campaign"] else None,
                notes=data["notes"],
                actor=self.request.user.get_username(),
            )
        except services.BookingError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Booking recorded for {handoff.contact.full_name}; handoff #{handoff.pk} is "
            "waiting for review.",
        )
        return HttpResponseRedirect(reverse("marketing:handoff", args=[handoff.pk]))


class MessageLogCreateView(ActorRequiredMixin, FormView):
    form_class = MessageLogForm
    template_name = "marketing/message_form.html"

    def get_initial(self):
        return _prefill(self.request, ["contact", "campaign", "direction", "channel"])

    def next_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next")
        return safe_next_url(self.request, target)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.next_url() or ""
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            message = services.message_record(
                contact_id=data["contact"],
                direction=data["direction"],
                channel=data["channel"],
                subject=data["subject"],
                body=data["body"],
                campaign_id=data["campaign"],
                sent_at=data["sent_at"],
                actor=self.request.user.get_username(),
            )
        except services.MessageError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{message.get_direction_display()} {message.get_channel_display().lower()} message "
            f"logged for {message.contact.full_name}.",
        )
        return HttpResponseRedirect(self.next_url() or reverse("marketing:message_add"))


class HandoffBulkAssignView(ActionView):
    """Assign the selected handoffs to one coordinator: a confirm step, then all or nothing.

    The first POST (from the list's checkboxes) shows how many handoffs change and which field;
    the confirmed POST calls ``handoff_reassign`` for each in primary-key order inside one
    transaction, so a refused row (closed meanwhile, bad id) leaves every row as it was.
    """

    form_class = HandoffBulkAssignForm
    invalid_prefix = "Nothing was changed: "
    error_classes = (services.HandoffError,)
    refused_prefix = "Nothing was changed: "
    fallback_url = "marketing:handoff_list"
    next_prefix = None

    def perform(self, form):
        request = self.request
        back = reverse("marketing:handoff_list")
        ids, user = form.cleaned_data["ids"], form.cleaned_data["assignee"]
        handoffs = list(
            AcHandoff.objects.filter(pk__in=ids)
            .select_related("company", "assigned_to")
            .order_by("pk")
        )
        missing = sorted(set(ids) - {h.pk for h in handoffs})
        if missing:
            listed = ", ".join(f"#{pk}" for pk in missing)
            messages.error(request, f"Nothing was changed: no handoff {listed}.")
            return HttpResponseRedirect(back)
        todo = [h for h in handoffs if h.assigned_to_id != user.pk]
        if not todo:
            messages.info(request, f"Nothing to do: all are already assigned to {user}.")
            return HttpResponseRedirect(back)
        username = user.get_username()
        if request.POST.get("confirmed") != "yes":
            n = len(todo)
            skipped = len(handoffs) - n
            return render(
                request,
                "includes/bulk_confirm.html",
                {
                    "confirm_title": "Assign handoffs",
                    "confirm_message": (
                        f"Assign {n} handoff{'s' if n != 1 else ''} to {username}."
                        + (
                            f" {skipped} already assigned to {username} stay as they are."
                            if skipped
                            else ""
                        )
                    ),
                    "confirm_items": [
                        f"#{h.pk} {h.company.company_name if h.company else '—'} "
                        f"({h.status}, now {h.assigned_to or 'unassigned'})"
                        for h in todo
                    ],
                    "confirm_hidden": [("ids", h.pk) for h in todo] + [("assignee", user.pk)],
                    "confirm_label": f"Assign {n} to {username}",
                    "confirm_cancel_url": back,
                },
            )
        # All or nothing: a refused row (HandoffError, reported by ``refused``) undoes the rest.
        with transaction.atomic():
            for h in todo:
                services.handoff_reassign(
                    handoff_id=h.pk, user_id=user.pk, actor=request.user.get_username()
                )
        messages.success(
            request,
            f"{len(todo)} handoff{'s' if len(todo) != 1 else ''} assigned to {username}.",
        )
        return self.back()
