"""Renewal and campaign pages (WORKFLOWS.md §3).

Handoff, booking and message pages belong to the handoff work and live elsewhere; everything here
is named ``renewal_*`` / ``campaign_*``.
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from marketing.filters.campaigns import (
    CampaignContactFilterSet,
    CampaignFilterSet,
    RenewalReadinessFilterSet,
)
from marketing.forms.campaigns import (
    CampaignBulkTransitionForm,
    CampaignForm,
    CampaignMemberOutcomeForm,
    CampaignTransitionForm,
)
from marketing.models import Campaign, CampaignContact
from marketing.selectors import campaigns as selectors
from marketing.selectors.campaigns import RenewalReadiness
from marketing.services import campaigns as services
from marketing.services.campaigns import TRANSITIONS, CampaignError
from marketing.tables.campaigns import (
    CampaignContactTable,
    CampaignPreflightTable,
    CampaignTable,
    RenewalReadinessTable,
)
from outreach_admin.exports import csv_safe
from outreach_admin.permissions import can_act
from outreach_admin.views import ActionView, ObjectListView

TRANSITION_LABELS = {
    "active": "Activate",
    "paused": "Pause",
    "completed": "Complete",
}
FILTER_PARAMS = ("q", "opens_within", "renewal_month", "industry", "state", "coverage", "ready")


class RenewalListView(ObjectListView):
    # Keyset pages (the base's), never a count: a count of "ready" would evaluate every
    # in-window company.
    model = RenewalReadiness
    selector = selectors.renewal_list
    table_class = RenewalReadinessTable
    filterset_class = RenewalReadinessFilterSet
    template_name = "marketing/renewal_list.html"
    show_actions = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["readiness"] = self.filterset.readiness
        params = [(k, v) for k in FILTER_PARAMS for v in self.request.GET.getlist(k) if v]
        context["filter_query"] = urlencode(params + [("scope", "filter")])
        return context


def _default_name(company_ids: list[int]) -> str:
    dates = (
        RenewalReadiness.objects.filter(company_id__in=company_ids[:1000])
        .order_by("next_renewal_date")
        .values_list("next_renewal_date", flat=True)
    )
    first = dates.first()
    last = dates.last()
    if first is None:
        return f"Renewals — {timezone.localdate():%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"Renewals — {first:%B %Y}"
    if first.year == last.year:
        return f"Renewals — {first:%B}–{last:%B %Y}"
    return f"Renewals — {first:%B %Y}–{last:%B %Y}"


class CampaignBuildView(TemplateView):
    """GET: the builder form and the pre-flight report for a selection of companies.

    The selection is either explicit (``company=1&company=2``, the renewals page checkboxes)
    or the renewals filter (``scope=filter`` plus its parameters, at most 1000 companies).
    """

    template_name = "marketing/campaign_build.html"

    def _company_ids(self) -> list[int] | None:
        get = self.request.GET
        if get.get("scope") == "filter":
            filterset = RenewalReadinessFilterSet(get, queryset=selectors.renewal_list())
            return selectors.renewal_company_ids(filterset.qs, services.MAX_COMPANIES)
        field = CampaignForm.base_fields["company"]
        try:
            return field.to_python(get.getlist("company"))
        except Exception:
            return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        ids = self._company_ids()
        if ids is None:
            messages.error(self.request, "Company ids must be whole numbers.")
            ids = []
        roles = [r for r in get.getlist("target_roles") if r in services.ROLES] or (
            [] if "target_roles" in get or get.get("preview") else list(services.ROLES)
        )
        form = CampaignForm(
            initial={
                "name": get.get("name") or _default_name(ids),
                "type": get.get("type") or Campaign.Type.RENEWAL,
                "target_roles": roles,
                "company": ids,
            }
        )
        rows = selectors.campaign_preflight(company_ids=ids, roles=roles)
        included = sum(1 for r in rows if r.included)
        context.update(
            form=form,
            company_ids=ids,
            rows=rows,
            table=CampaignPreflightTable(rows),
            included_count=included,
            excluded_count=len(rows) - included,
            roles=roles,
            can_act=can_act(self.request.user),
        )
        return context


class CampaignCreateView(ActionView):
    http_method_names = ["post"]
    form_class = CampaignForm
    invalid_prefix = "Nothing created: "
    error_classes = (CampaignError,)
    next_prefix = None

    def get_fallback_url(self):
        """The builder again with what was posted, so a refused or invalid create is retried."""
        post = self.request.POST
        back = [("name", post.get("name", "")), ("type", post.get("type", ""))]
        back += [("target_roles", r) for r in post.getlist("target_roles")]
        back += [("company", c) for c in post.getlist("company")] + [("preview", "1")]
        return f"{reverse('marketing:campaign_build')}?{urlencode(back)}"

    def perform(self, form):
        data = form.cleaned_data
        campaign = services.campaign_create(
            name=data["name"],
            type=data["type"],
            target_roles=data["target_roles"],
            company_ids=data["company"],
            actor=self.request.user.get_username(),
        )
        messages.success(
            self.request,
            f'Campaign "{campaign.name}" created as a draft with {campaign.target_count} '
            f"member{'s' if campaign.target_count != 1 else ''}.",
        )
        return redirect("marketing:campaign", pk=campaign.pk)


class CampaignListView(ObjectListView):
    model = Campaign
    selector = selectors.campaign_list
    table_class = CampaignTable
    filterset_class = CampaignFilterSet
    template_name = "marketing/campaign_list.html"


class CampaignDetailView(ObjectListView):
    # Keyset pages, never a COUNT(*): the status counts above the table give the totals. The
    # members' CSV is CampaignExportView, so the list's own export stays off.
    model = CampaignContact
    table_class = CampaignContactTable
    filterset_class = CampaignContactFilterSet
    template_name = "marketing/campaign_detail.html"
    exportable = False
    show_actions = True

    def dispatch(self, request, *args, **kwargs):
        self.campaign = get_object_or_404(selectors.campaign_list(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.campaign_members(self.campaign)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            campaign=self.campaign,
            counts=selectors.campaign_status_counts(self.campaign),
            transitions=[
                (status, TRANSITION_LABELS[status]) for status in TRANSITIONS[self.campaign.status]
            ],
            outcomes=services.OUTCOMES,
        )
        return context


class _CampaignActionView(ActionView):
    """A change on a campaign's page: form errors and refusals go back to that page."""

    http_method_names = ["post"]
    invalid_prefix = "Nothing changed: "
    error_classes = (CampaignError,)
    refused_prefix = "Refused: "
    next_prefix = None

    def campaign_id(self) -> int:
        return self.kwargs["pk"]

    def get_fallback_url(self):
        return reverse("marketing:campaign", args=[self.campaign_id()])


class CampaignTransitionView(_CampaignActionView):
    form_class = CampaignTransitionForm

    def perform(self, form):
        campaign = services.campaign_transition(
            campaign_id=self.kwargs["pk"],
            to_status=form.cleaned_data["to_status"],
            actor=self.request.user.get_username(),
        )
        messages.success(self.request, f'Campaign "{campaign.name}" is now {campaign.status}.')
        return self.back()


class _MemberActionView(_CampaignActionView):
    """A change to one campaign member (the URL's pk); back to the member's campaign."""

    member_queryset = CampaignContact.objects.all()

    def get_object(self):
        member = self.member_queryset.filter(pk=self.kwargs["pk"]).first()
        if member is None:
            raise Http404("No such campaign member.")
        return member

    def campaign_id(self) -> int:
        return self.object.campaign_id


class CampaignMemberRemoveView(_MemberActionView):
    member_queryset = CampaignContact.objects.only("campaign_id")

    def perform(self, form):
        removed = services.campaign_member_remove(
            member_id=self.object.pk, actor=self.request.user.get_username()
        )
        messages.success(self.request, f"{removed.contact.full_name} removed from the campaign.")
        return self.back()


class CampaignMemberOutcomeView(_MemberActionView):
    member_queryset = CampaignContact.objects.select_related("contact", "campaign")
    form_class = CampaignMemberOutcomeForm

    def form_invalid(self, form):
        # "booked" from the members table comes without a meeting time: ask for it (and the
        # source) on a page of its own; its errors stay on that page. Nothing changes until then.
        if form.data.get("outcome") != "booked" or "outcome" in form.errors:
            return super().form_invalid(form)
        first_step = not any(form.data.get(name) for name in ("event_time", "source"))
        return render(
            self.request,
            "marketing/campaign_member_booked.html",
            {"form": form, "member": self.object, "first_step": first_step},
            status=200 if first_step else 400,
        )

    def perform(self, form):
        data = form.cleaned_data
        outcome = data["outcome"]
        services.member_record_outcome(
            member_id=self.object.pk,
            outcome=outcome,
            actor=self.request.user.get_username(),
            event_time=data["event_time"],
            source=data["source"] or None,
        )
        messages.success(self.request, f"{self.object.contact.full_name}: recorded {outcome}.")
        return self.back()


CSV_HEADER = ["person", "email", "email_status", "company", "role", "member_status", "added_at"]


class _Echo:
    def write(self, value):
        return value


class CampaignExportView(View):
    """CSV of a campaign's members: UTF-8 with BOM (Excel), formula-injection safe, streamed.

    Rows are read inside the request's transaction (the middleware's role and actor apply; a
    streamed body is consumed after that transaction ends) and then written out lazily.
    """

    http_method_names = ["get"]

    def get(self, request, pk):
        campaign = get_object_or_404(Campaign, pk=pk)
        rows = list(
            CampaignContact.objects.filter(campaign=campaign)
            .order_by("company__company_name", "role_code", "campaign_contact_id")
            .values_list(
                "contact__full_name",
                "contact__email",
                "contact__verification__email_status",
                "company__company_name",
                "role_code",
                "status",
                "created_at",
            )
        )
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"
            yield writer.writerow(CSV_HEADER)
            for row in rows:
                *cells, added = row
                yield writer.writerow([csv_safe(c) for c in cells] + [added.isoformat()])

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        slug = "".join(ch if ch.isalnum() else "-" for ch in campaign.name.lower()).strip("-")
        response["Content-Disposition"] = (
            f'attachment; filename="campaign-{campaign.pk}-{slug[:40] or "members"}.csv"'
        )
        return response


class CampaignBulkTransitionView(ActionView):
    """Change the status of the selected campaigns: a confirm step, then one move per campaign.

    Each move is ``campaign_transition`` (its own savepoint, in primary-key order), so a move
    the status rules refuse is reported for that campaign and the others still happen.
    """

    http_method_names = ["post"]
    form_class = CampaignBulkTransitionForm
    invalid_prefix = "Nothing was changed: "
    fallback_url = "marketing:campaign_list"
    next_prefix = None

    def perform(self, form):
        request = self.request
        ids, to_status = form.cleaned_data["ids"], form.cleaned_data["to_status"]
        campaigns = list(Campaign.objects.filter(pk__in=ids).order_by("pk"))
        missing = sorted(set(ids) - {c.pk for c in campaigns})
        if missing:
            listed = ", ".join(f"#{pk}" for pk in missing)
            messages.error(request, f"Nothing was changed: no campaign {listed}.")
            return self.back()
        if request.POST.get("confirmed") != "yes":
            n = len(campaigns)
            refused = [c for c in campaigns if to_status not in TRANSITIONS.get(c.status, ())]
            note = (
                f" {len(refused)} of them cannot move there and will be refused." if refused else ""
            )
            return render(
                request,
                "includes/bulk_confirm.html",
                {
                    "confirm_title": "Change campaign status",
                    "confirm_message": (
                        f"Change the status of {n} campaign{'s' if n != 1 else ''} to "
                        f"{to_status}.{note}"
                    ),
                    "confirm_items": [
                        f'#{c.pk} "{c.name}": {c.status} → {to_status}'
                        + ("" if c not in refused else " (will be refused)")
                        for c in campaigns
                    ],
                    "confirm_hidden": [("ids", c.pk) for c in campaigns]
                    + [("to_status", to_status)],
                    "confirm_label": f"Change {n} to {to_status}",
                    "confirm_cancel_url": reverse("marketing:campaign_list"),
                },
            )
        moved = 0
        for c in campaigns:
            try:
                services.campaign_transition(
                    campaign_id=c.pk, to_status=to_status, actor=request.user.get_username()
                )
            except CampaignError as exc:
                messages.error(request, f'Refused for #{c.pk} "{c.name}": {exc}')
            else:
                moved += 1
        if moved:
            messages.success(
                request, f"{moved} campaign{'s' if moved != 1 else ''} now {to_status}."
            )
        return self.back()
