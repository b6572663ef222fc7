"""vault.f_promote_contacts v4 (issue 16, the gaps v3 left): a move to another employer clears
the old company's slot; a re-sent load equal to the record is "unchanged" and writes nothing;
a vendor phone that is not a valid number is recorded as a refused offer (real PostgreSQL, as
the app role)."""

import io

from django.core.management import call_command
from django.urls import reverse

from companies.models import Company, CompanyFieldProvenance, CompanyHistory, CompanySlot
from intake import outcomes
from intake.models import AuditLog, RawLoad
from intake.services import batch_ingest, loads_promote
from outreach_admin.db import set_acting_user
from people.models import Contact, PersonFieldProvenance, PersonHistory
from people.provenance import INVALID_PHONE_REASON, UNCHECKED_PHONE_REASON
from tests import builders
from tests.intake import presets_v2
from tests.intake.helpers import age_loads, set_role


def ingest(*rows, batch_id, source="apollo"):
    return [r.load_id for r in batch_ingest(rows=list(rows), source=source, batch_id=batch_id).rows]


def last_audit():
    return AuditLog.objects.filter(action="batch_promoted").order_by("-log_id").first()


def person(email):
    return Contact.objects.get(email__iexact=email)


def age_all():
    """Every load so far 31 days old, so intake.f_ingest_json takes the same e-mails again as
    pending instead of 'duplicate' (its 30-day window)."""
    age_loads(RawLoad.objects.values_list("load_id", flat=True), 31)


# -- 1. A move to another employer clears the old company's slot -------------------------------


def test_a_move_to_another_employer_clears_the_old_slot(db):
    """Rule: a person's slot and employer never disagree. When a promotion moves a person to
    another company, the slot they hold at the old company is cleared by "promotion of batch B"
    (history with the reason) and the result lists it as cleared, "moved to <new company>"."""
    ingest(presets_v2.apollo(), batch_id="m1")
    loads_promote()
    jane = person("jane.doe@acme-widgets.example")
    acme = jane.company
    old_slot = CompanySlot.objects.get(company=acme, role_code="CEO")
    assert old_slot.contact_id == jane.pk
    age_all()
    ingest(
        presets_v2.apollo(
            company_name="Globex Ltd",
            website="https://globex.example",
            _norm={**presets_v2.apollo()["_norm"], "website_url": "https://globex.example",
                   "domain": "globex.example"},
        ),
        batch_id="m2",
    )  # fmt: skip
    result = loads_promote()
    jane.refresh_from_db()
    globex = Company.objects.get(domain="globex.example")
    assert jane.company_id == globex.pk
    old_slot.refresh_from_db()
    assert old_slot.contact_id is None
    cleared = CompanyHistory.objects.filter(company_slot_id=old_slot.pk).order_by("-history_id")[0]
    assert cleared.changed_by == "promotion of batch m2"
    assert cleared.old_values["contact_id"] == jane.pk and cleared.new_values["contact_id"] is None
    assert "employer changed" in cleared.new_values["reason"]
    r = last_audit().details["result"]
    assert r["slots"]["cleared"] == [old_slot.pk]
    assert r["slots"]["cleared_detail"] == [
        {
            "slot_id": old_slot.pk,
            "company_id": acme.pk,
            "role_code": "CEO",
            "contact_id": jane.pk,
            "moved_to_company_id": globex.pk,
            "reason": "moved to Globex Ltd",
        }
    ]
    assert "slots_cleared=1" in result.message
    # the same promotion fills the new employer's CEO slot (title still fits)
    assert CompanySlot.objects.get(company=globex, role_code="CEO").contact_id == jane.pk
    # no slot anywhere disagrees with the person's employer
    assert not CompanySlot.objects.filter(contact=jane).exclude(company=globex).exists()


def test_the_result_pages_name_the_person_moved_and_why(db):
    """The batch page's result and ``manage.py promote`` show the cleared slot with the person
    taken out and the reason (not whoever holds the slot now)."""
    ingest(presets_v2.apollo(), batch_id="mv1")
    loads_promote()
    jane = person("jane.doe@acme-widgets.example")
    slot = CompanySlot.objects.get(contact=jane)
    age_all()
    row = presets_v2.apollo(company_name="Globex Ltd", website="globex.example")
    row["_norm"] = {**row["_norm"], "website_url": "https://globex.example",
                    "domain": "globex.example"}  # fmt: skip
    ingest(row, batch_id="mv2")
    out = io.StringIO()
    call_command("promote", batch="mv2", stdout=out)
    text = out.getvalue()
    assert "Slots cleared:" in text
    assert "CEO at Acme Widgets - Jane Doe <jane.doe@acme-widgets.example>" in text
    assert "(moved to Globex Ltd)" in text
    summary = outcomes.promotion_summary(last_audit().pk)
    (item,) = summary["slots"]["cleared"]["items"]
    assert (item["id"], item["contact_id"], item["reason"]) == (
        slot.pk,
        jane.pk,
        "moved to Globex Ltd",
    )
    from django.template.loader import render_to_string

    html = render_to_string("intake/_promotion_result.html", {"promotion_summary": summary})
    assert "(moved to Globex Ltd)" in html
    assert f'href="{reverse("people:contact", args=[jane.pk])}"' in html


def test_a_hand_placed_person_moved_by_a_file_leaves_the_old_slot(db):
    """A person a coordinator put in a slot (no promotion had set their employer) whom a vendor
    file moves to the company of their website leaves the old slot, cleared by the promotion."""
    set_role(None)
    old = builders.company("Old Employer")
    hal = builders.contact(
        "Hal Hand", email="hal@acme.example", company=old, source_system="apollo"
    )
    slot = builders.slot(old, "CFO")
    slot.contact = hal
    slot.save()
    set_role("outreach_app")
    ingest(
        {"email": "hal@acme.example", "full_name": "Hal Hand", "company": "Acme",
         "website": "acme.example"},
        batch_id="hand",
    )  # fmt: skip
    loads_promote()
    hal.refresh_from_db()
    slot.refresh_from_db()
    assert hal.company.domain == "acme.example"
    assert slot.contact_id is None
    detail = last_audit().details["result"]["slots"]["cleared_detail"]
    assert [d["reason"] for d in detail] == ["moved to Acme"]


def test_a_coordinators_employer_is_kept_and_so_is_the_slot(db):
    """An employer a coordinator set is kept (survivorship rule 4), so the slot stays filled."""
    set_role(None)
    mine = builders.company("Chosen Co")
    kim = builders.contact("Kim Keep", email="kim@acme.example", company=mine)  # manual
    slot = builders.slot(mine, "HR")
    slot.contact = kim
    slot.save()
    set_role("outreach_app")
    ingest({"email": "kim@acme.example", "website": "acme.example"}, batch_id="keep")
    loads_promote()
    kim.refresh_from_db()
    slot.refresh_from_db()
    assert kim.company_id == mine.pk and slot.contact_id == kim.pk
    assert last_audit().details["result"]["slots"]["cleared"] == []


# -- 2. A re-sent load equal to the record is "unchanged" -------------------------------------

RESENT = [
    presets_v2.apollo(),
    presets_v2.hubspot(),
    # a raw row (no "_norm", as an API caller sends it): spaces the contact trigger collapses
    # and a bare LinkedIn address the URL trigger completes
    {"email": "Raw.One@rawco.example", "name": "Raw   One ", "title": "CFO",
     "linkedin_url": "linkedin.com/in/rawone", "company": "RawCo", "website": "rawco.example"},
    # a phone that is not a valid number (kept raw on the load, recorded as refused)
    {"email": "uk@rawco.example", "full_name": "Una King", "mobile_phone": "07700 900123",
     "country": "United Kingdom", "_norm": {"email": "uk@rawco.example", "full_name": "Una King",
                                            "first_name": "Una", "last_name": "King"}},
]  # fmt: skip


def _state(ids):
    return (
        list(Contact.objects.order_by("pk").values_list("pk", "updated_at")),
        list(Company.objects.order_by("pk").values_list("pk", "updated_at")),
        PersonFieldProvenance.objects.count(),
        CompanyFieldProvenance.objects.count(),
        PersonHistory.objects.filter(contact_id__in=ids).count(),
        CompanyHistory.objects.count(),
        list(CompanySlot.objects.order_by("pk").values_list("pk", "contact_id")),
    )


def test_a_resent_load_equal_to_the_record_is_unchanged(db):
    """Rule: the result's counts add up and say what happened. The same rows sent again in a
    later batch reach the same people, who are all "unchanged": no update, no history row, no
    field-provenance row (not even a refusal already recorded), no slot change."""
    ingest(*RESENT, batch_id="first")
    loads_promote()
    ids = list(Contact.objects.values_list("pk", flat=True))
    assert len(ids) == 4
    before = _state(ids)
    for batch in ("again", "and-again"):
        age_all()
        loads = ingest(*RESENT, batch_id=batch)
        assert RawLoad.objects.filter(load_id__in=loads, status="pending").count() == 4
        result = loads_promote()
        r = last_audit().details["result"]
        people, companies = r["people"], r["companies"]
        assert people["created"] == [] and people["updated"] == [], people
        assert sorted(people["unchanged"]) == sorted(ids)
        assert len(people["created"]) + len(people["updated"]) + len(people["unchanged"]) == 4
        assert companies["created"] == [] and companies["updated"] == []
        assert sum(len(companies[k]) for k in ("created", "updated", "unchanged")) == len(
            {p.company_id for p in Contact.objects.all() if p.company_id}
        )
        assert r["loads"]["promoted"] + r["loads"]["failed"] == r["loads"]["processed"] == 4
        assert r["slots"] == {"filled": [], "cleared": [], "cleared_detail": []}
        assert r["fields_rejected"] == 0 and r["invalid_phones"] == 0
        assert "contacts_updated=0" in result.message
        assert _state(ids) == before, batch
    summary = outcomes.promotion_summary(last_audit().pk)
    assert "People: 4 reached — 0 created, 0 updated, 4 already up to date." in summary["sentences"]


def test_a_refusal_is_recorded_once_per_value(db):
    """A coordinator's employer kept against the e-mail domain's company is recorded once as a
    refused offer; the same offer in later batches adds no provenance row and the person stays
    "unchanged"."""
    ingest({"email": "mo@acme.example", "full_name": "Mo Ved", "website": "acme.example"},
           batch_id="r1")  # fmt: skip
    loads_promote()
    mo = person("mo@acme.example")
    set_role(None)
    other = builders.company("Other Co")
    set_role("outreach_app")
    set_acting_user("alice")
    Contact.objects.filter(pk=mo.pk).update(company=other)
    counts = []
    for batch in ("r2", "r3"):
        age_all()
        ingest({"email": "mo@acme.example", "full_name": "Mo Ved", "website": "acme.example"},
               batch_id=batch)  # fmt: skip
        loads_promote()
        r = last_audit().details["result"]
        assert r["people"]["unchanged"] == [mo.pk]
        counts.append(
            (r["fields_rejected"], PersonFieldProvenance.objects.filter(contact=mo).count())
        )
    assert counts[1] == (0, counts[0][1]) and counts[0][0] == 1
    assert person("mo@acme.example").company_id == other.pk


# -- 3. A vendor phone that is not a valid number ----------------------------------------------


def test_an_invalid_phone_is_recorded_as_a_refused_offer(db):
    """Rule: phones through phonenumbers; an invalid one is kept raw (on the load) and its E.164
    column stays NULL. The promotion records the offer in field provenance ('rejected', reason
    INVALID_PHONE_REASON) once, and counts it in the result."""
    (load_id,) = ingest(RESENT[3], batch_id="ph")
    result = loads_promote()
    una = person("uk@rawco.example")
    assert una.personal_phone_e164 is None
    row = PersonFieldProvenance.objects.get(contact=una, field="personal_phone_e164")
    assert (row.value, row.outcome, row.reason, row.source, row.load_id, row.batch_id) == (
        "07700 900123",
        "rejected",
        INVALID_PHONE_REASON,
        "apollo",
        load_id,
        "ph",
    )
    assert row.set_by == "promotion of batch ph"
    assert last_audit().details["result"]["invalid_phones"] == 1
    assert "phones_invalid=1" in result.message
    summary = outcomes.promotion_summary(last_audit().pk)
    assert any("1 phone number offered was not valid" in s for s in summary["sentences"])


def test_an_invalid_company_phone_is_recorded_on_the_company(db):
    """The same for a company phone (company.field_provenance, field company_phone); a raw row
    without "_norm" whose phone is not E.164 was not judged by phonenumbers, and says so."""
    norm = {"email": "c@phoneco.example", "website_url": "https://phoneco.example",
            "domain": "phoneco.example"}  # fmt: skip
    ingest({"email": "c@phoneco.example", "company": "PhoneCo", "website": "phoneco.example",
            "company_phone": "12345", "_norm": norm},
           {"email": "d@phoneco.example", "company": "PhoneCo", "website": "phoneco.example",
            "company_phone": "020 7946 0000"}, batch_id="cph")  # fmt: skip
    loads_promote()
    company = Company.objects.get(domain="phoneco.example")
    assert company.company_phone is None
    rows = CompanyFieldProvenance.objects.filter(company=company, field="company_phone")
    assert sorted(rows.values_list("value", "outcome", "reason")) == [
        ("020 7946 0000", "rejected", UNCHECKED_PHONE_REASON),
        ("12345", "rejected", INVALID_PHONE_REASON),
    ]
    assert last_audit().details["result"]["invalid_phones"] == 2
