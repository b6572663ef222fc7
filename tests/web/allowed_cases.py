"""One valid-payload case per POST endpoint, for the group allowed to act: the path and data to
post, the exact tables the action changes and its trail (``tests/web/trails.py``)."""

from datetime import timedelta

from django.utils import timezone

from tests import builders as b
from tests.web.trails import (
    ALLOWED_CASES,
    _campaign,
    _campaign_companies,
    _empty_slot_with_candidate,
    _first,
    _handoff,
    _ingest,
    _other_coordinator,
    _pending_pair,
    _pending_verified_pair,
    case,
)

__all__ = ["ALLOWED_CASES"]  # filled by the @case registrations below


@case(
    "companies:slot_assign",
    tables={"company.company_slot", "company.history"},
    trail="company.history",
)
def _(user, client):
    slot, person = _empty_slot_with_candidate()
    return f"/companies/slots/{slot.pk}/assign/", {"contact_id": person.pk}


@case(
    "companies:slot_clear",
    tables={"company.company_slot", "company.history"},
    trail="company.history",
)
def _(user, client):
    from companies.models import CompanySlot

    slot = _first(CompanySlot.objects.filter(contact__isnull=False, company__status="active"))
    return f"/companies/slots/{slot.pk}/clear/", {
        "expected_contact_id": slot.contact_id,
        "reason": "left the company",
    }


@case(
    "companies:company_create",
    tables={"company.company", "company.company_slot", "company.history"},
    trail="company.history company",
)
def _(user, client):
    return "/companies/new/", {
        "company_name": "Matrix New Co",
        "website_url": "https://matrix-new.example.com",
        "renewal_month": "4",
        "renewal_notice_window_days": "120",
        "status": "active",
    }


@case(
    "companies:company_edit",
    tables={"company.company", "company.history"},
    trail="company.history",
)
def _(user, client):
    from companies.models import Company

    company = _first(Company.objects.filter(renewal_month__isnull=False))
    return f"/companies/{company.pk}/edit/", {
        "company_name": company.company_name,
        "website_url": company.website_url or "",
        "renewal_month": "",
        "renewal_notice_window_days": str(company.renewal_notice_window_days),
        "status": company.status,
        "city": "Matrix City",
        "expected_updated_at": company.updated_at.isoformat(),
    }


@case(
    "people:contact_create",
    tables={"people.contact", "people.history"},
    trail="people.history",
)
def _(user, client):
    return "/people/new/", {
        "full_name": "Matrix New Person",
        "email": "matrix.new.person@example.com",
        "work_phone_e164": "+1 614 555 0199",
        "status": "active",
    }


@case(
    "people:contact_edit",
    tables={"people.contact", "people.history"},
    trail="people.history",
)
def _(user, client):
    from people.models import Contact

    person = _first(Contact.objects.filter(status="active", title__isnull=False))
    return f"/people/{person.pk}/edit/", {
        "full_name": person.full_name,
        "first_name": person.first_name or "",
        "last_name": person.last_name or "",
        "title": "Matrix Title",
        "email": person.email or "",
        "work_phone_e164": person.work_phone_e164 or "",
        "personal_phone_e164": person.personal_phone_e164 or "",
        "linkedin_url": person.linkedin_url or "",
        "company": person.company_id or "",
        "status": person.status,
        "expected_updated_at": person.updated_at.isoformat(),
    }


@case(
    "companies:slot_bulk_fill",
    tables={"company.company_slot", "company.history"},
    trail="company.history",
)
def _(user, client):
    from companies.models import CompanySlot

    slot = _first(
        CompanySlot.objects.filter(contact__isnull=True, company__status="active", role_code="CFO")
    )
    person = b.contact(company=slot.company, title="Chief Financial Officer", email_status="green")
    return "/companies/slots/bulk-fill/", {
        "threshold": "0.70",
        "margin": "0.15",
        "slot_ids": str(slot.pk),
        "plan": f"{slot.pk}:fill:{person.pk}",
        "confirmed": "yes",
    }


@case(
    "intake:batch_upload", tables={"intake.raw_loads", "intake.audit_log"}, trail="intake.audit_log"
)
def _(user, client):
    rows = '[{"email": "upload@matrix.example", "name": "Upload Person"}]'
    return "/intake/upload/", {"pasted": rows, "source": "manual", "batch_id": "matrix-upload"}


# "Remember this mapping" is ticked by default: the confirm also saves the mapping for the
# source (intake.saved_mapping) with its own audit row, so this case's trail is that row (the
# ingest's 'batch_ingested' row is the batch_upload case's trail).
@case(
    "intake:batch_upload_map",
    tables={"intake.raw_loads", "intake.audit_log", "intake.saved_mapping"},
    trail="intake.audit_log mapping_saved",
)
def _(user, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = b"Email,Name\nmap@matrix.example,Map Person\n"
    step = client.post(
        "/intake/upload/",
        {
            "file": SimpleUploadedFile("people.csv", csv, "text/csv"),
            "source": "manual",
            "batch_id": "matrix-map",
        },
    )
    assert step.status_code == 302 and step.url.endswith("/intake/upload/map/"), step
    return "/intake/upload/map/", {"col_0": "email", "col_1": "name", "remember": "1"}


@case(
    "intake:batch_promote",
    tables={
        "vault.contacts",
        "people.contact",
        "marketing.pipeline_events",
        "intake.raw_loads",
        "company.company",
        "company.company_slot",
        "company.history",
        "intake.audit_log",
        "people.history",
        "people.contact_verification",
        "people.field_provenance",
    },
    trail="intake.audit_log",
)
def _(user, client):
    _ingest("matrix-promote")
    return "/intake/batches/promote/", {"batch_id": "matrix-promote", "scope": "batch"}


@case(
    "login",
    tables={},
    no_trail="authentication: django-axes logs it (tests/web/test_login_throttle)",
)
def _(user, client):
    client.logout()
    user.set_password("pass-1234-word")
    user.save()
    return "/accounts/login/", {"username": user.get_username(), "password": "pass-1234-word"}


@case("logout", tables={}, no_trail="authentication only")
def _(user, client):
    return "/accounts/logout/", {}


@case("saved_view_create", tables={"outreach_admin_savedview"}, trail="saved_view")
def _(user, client):
    return "/views/save/", {"name": "Matrix view", "path": "/companies/?q=matrix"}


@case(
    "saved_view_delete",
    tables={"outreach_admin_savedview"},
    no_trail="the deleted row was the record of its owner",
)
def _(user, client):
    from outreach_admin.models import SavedView

    view = SavedView.objects.create(name="Gone", url_name="companies:company_list", owner=user)
    return f"/views/{view.pk}/delete/", {}


@case(
    "marketing:booking_add",
    tables={"marketing.ac_handoff", "marketing.pipeline_events", "marketing.booking_event"},
    trail="marketing.booking_event",
)
def _(user, client):
    from people.models import Contact

    person = _first(Contact.objects.filter(status="active", company__isnull=False))
    return "/marketing/bookings/add/", {
        "contact": str(person.pk),
        # within the meeting-time limits (meeting_time_problem): a week ahead
        "event_time": f"{timezone.localdate() + timedelta(days=7):%Y-%m-%d}T10:00",
        "source": "calendar",
    }


@case(
    "marketing:message_add",
    tables={"marketing.message_log", "marketing.history"},
    trail="marketing.history",
)
def _(user, client):
    from people.models import Contact

    person = _first(Contact.objects.filter(status="active"))
    return "/marketing/messages/add/", {
        "contact": str(person.pk),
        "direction": "inbound",
        "channel": "email",
        "subject": "Re: hello",
    }


@case(
    "marketing:campaign_create",
    tables={"marketing.campaign", "marketing.campaign_contact", "marketing.history"},
    trail="marketing.campaign",
)
def _(user, client):
    return "/marketing/campaigns/create/", {
        "name": "Matrix campaign",
        "type": "renewal",
        "target_roles": ["CEO", "CFO", "HR"],
        "company": [str(i) for i in _campaign_companies()],
    }


@case(
    "marketing:campaign_transition",
    tables={"marketing.campaign", "marketing.history"},
    trail="marketing.history",
)
def _(user, client):
    campaign = _campaign("draft")
    return f"/marketing/campaigns/{campaign.pk}/transition/", {"to_status": "active"}


@case(
    "marketing:campaign_bulk_transition",
    tables={"marketing.campaign", "marketing.history"},
    trail="marketing.history",
)
def _(user, client):
    campaign = _campaign("draft")
    return "/marketing/campaigns/bulk-status/", {
        "ids": [str(campaign.pk)],
        "to_status": "active",
        "confirmed": "yes",
    }


@case(
    "marketing:campaign_member_remove",
    tables={"marketing.campaign_contact", "marketing.history"},
    trail="marketing.history",
)
def _(user, client):
    member = _first(_campaign("draft").members.all())
    return f"/marketing/campaigns/members/{member.pk}/remove/", {}


@case(
    "marketing:campaign_member_outcome",
    tables={"marketing.campaign", "marketing.campaign_contact", "marketing.history"},
    trail="marketing.history",
)
def _(user, client):
    member = _first(_campaign("active").members.filter(status="pending"))
    return f"/marketing/campaigns/members/{member.pk}/outcome/", {"outcome": "sent"}


@case(
    "marketing:handoff_accept",
    tables={"marketing.ac_handoff", "marketing.pipeline_events"},
    trail="marketing.pipeline_events",
)
def _(user, client):
    h = _handoff()
    return f"/marketing/handoffs/{h.pk}/accept/", {"expected_status": "pending", "note": ""}


@case(
    "marketing:handoff_reject",
    tables={
        "marketing.ac_handoff",
        "marketing.pipeline_events",
        "marketing.campaign_contact",
        "marketing.history",
    },
    trail="marketing.pipeline_events",
)
def _(user, client):
    h = _handoff()
    return f"/marketing/handoffs/{h.pk}/reject/", {
        "expected_status": "pending",
        "reason_code": "wrong_contact",
        "note": "Spoke to the wrong person.",
    }


@case(
    "marketing:handoff_close",
    tables={"marketing.ac_handoff", "marketing.pipeline_events"},
    trail="marketing.pipeline_events",
)
def _(user, client):
    h = _handoff()
    return f"/marketing/handoffs/{h.pk}/close/", {
        "expected_status": "pending",
        "note": "Closed by the matrix.",
    }


@case(
    "marketing:handoff_reassign",
    tables={"marketing.ac_handoff", "marketing.pipeline_events"},
    trail="marketing.pipeline_events",
)
def _(user, client):
    h = _handoff()
    return f"/marketing/handoffs/{h.pk}/reassign/", {
        "expected_status": "pending",
        "user": str(_other_coordinator().pk),
    }


@case(
    "marketing:handoff_bulk_assign",
    tables={"marketing.ac_handoff", "marketing.pipeline_events"},
    trail="marketing.pipeline_events",
)
def _(user, client):
    h = _handoff()
    return "/marketing/handoffs/bulk-assign/", {
        "ids": [str(h.pk)],
        "assignee": str(_other_coordinator().pk),
        "confirmed": "yes",
    }


@case(
    "people:person_merge",
    tables={
        # the survivor taking the absorbed e-mail remembers its old address's status (people 0050)
        "people.address_verification",
        "people.contact",
        "people.resolution_queue",
        "people.email_verification",
        "people.merge_log",
        "people.history",
        "people.contact_verification",
    },
    trail="people.merge_log",
)
def _(user, client):
    pair = _pending_verified_pair()
    return "/people/merge/", {
        "survivor_id": str(pair.contact_primary_id),
        "absorbed_id": str(pair.contact_duplicate_id),
        "resolution_id": str(pair.pk),
    }


@case(
    "people:merge_undo",
    tables={
        # the survivor's e-mail change back remembers the merged address's status (people 0050)
        "people.address_verification",
        "people.contact",
        "people.resolution_queue",
        "people.email_verification",
        "people.merge_log",
        "people.history",
        "people.contact_verification",
    },
    trail="people.merge_log undo",
)
def _(user, client):
    from people import services

    pair = _pending_verified_pair()
    log = services.person_merge(
        survivor_id=pair.contact_primary_id,
        absorbed_id=pair.contact_duplicate_id,
        actor="earlier",
        resolution_id=pair.pk,
    )
    return f"/people/merges/{log.pk}/undo/", {"confirmed": "yes"}


@case(
    "people:bulk_merge",
    tables={
        "people.contact",
        "people.resolution_queue",
        "people.email_verification",
        "people.merge_log",
        "people.history",
        "people.contact_verification",
    },
    trail="people.merge_log",
)
def _(user, client):
    from people.models import ResolutionQueue

    # Both people verified, so the merge moves a verification (the tables above); marked
    # unambiguous (same e-mail, same name), as the scan would.
    pair = _pending_verified_pair()
    evidence = {**pair.evidence, "email": {"result": "equal"}, "name": {"result": "equal"}}
    ResolutionQueue.objects.filter(pk=pair.pk).update(evidence=evidence)
    return "/people/duplicates/bulk-merge/", {
        "resolution_ids": str(pair.pk),
        "confirmed": "yes",
    }


@case(
    "people:resolution_defer", tables={"people.resolution_queue"}, trail="people.resolution_queue"
)
def _(user, client):
    return f"/people/duplicates/{_pending_pair().pk}/defer/", {}


@case(
    "people:resolution_not_duplicate",
    tables={"people.resolution_queue"},
    trail="people.resolution_queue",
)
def _(user, client):
    return f"/people/duplicates/{_pending_pair().pk}/not-duplicate/", {}


@case(
    "people:resolution_job_change",
    tables={"people.resolution_queue", "people.contact", "people.history", "people.intelligence"},
    trail="people.resolution_queue",
)
def _(user, client):
    from people.models import ResolutionQueue

    former = b.contact("Matrix Mover", company=b.company("Matrix Old Co"))
    current = b.contact("Matrix Mover", company=b.company("Matrix New Co"))
    pair = ResolutionQueue.objects.create(
        contact_primary=former,
        contact_duplicate=current,
        conflict_type="name_similar",
        score="0.800",
        recommendation="likely_job_change",
    )
    return f"/people/duplicates/{pair.pk}/job-change/", {"current_id": current.pk}


@case(
    "intake:upload_job_cancel",
    tables={"intake.upload_job", "intake.audit_log"},
    trail="intake.audit_log",
)
def _(user, client):
    from tests.web.conftest import upload_job_queued

    job = upload_job_queued(b.user(group="coordinator"))
    return f"/intake/uploads/{job.pk}/cancel/", {}


@case(
    "intake:detect_duplicates",
    tables={"ple.step", "people.resolution_queue", "ple.cycle"},
    trail="ple.cycle",
    group="admin",
)
def _(user, client):
    # The demo seed already ran the detector; a new same-person pair gives it something to find.
    company = b.company("Detect Co")
    b.contact("Robin Detect", company=company, email="robin@detect.example")
    b.contact("Robin Detect", company=company, email="robin+crm@detect.example")
    return "/intake/duplicates/detect/", {}


@case(
    "signals:signal_process",
    tables={'"bit".signal', '"bit".history'},
    trail="bit.history",
)
def _(user, client):
    from signals.models import Signal

    signal = _first(Signal.objects.filter(processed_at__isnull=True))
    return "/signals/process/", {"signal": [str(signal.pk)]}
