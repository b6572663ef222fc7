"""vault.f_promote_contacts v3: raw fields v2 carried, names, vendor evidence, survivorship,
provenance, slots and the detailed result (real PostgreSQL, as the app role)."""

import inspect
import json

from django.db import connection

from companies.models import Company, CompanyFieldProvenance, CompanyHistory, CompanySlot
from companies.provenance import company_field_provenance
from companies.services import slots_bulk_fill
from intake.models import AuditLog, RawLoad
from intake.services import batch_ingest, loads_promote
from outreach_admin.db import set_acting_user
from people.models import (
    Contact,
    ContactVerification,
    EmailVerification,
    PersonFieldProvenance,
    PersonHistory,
)
from people.provenance import person_field_provenance
from tests import builders
from tests.intake import presets_v2
from tests.intake.helpers import age_loads, scalar, set_role

PERSON_FIELDS = {
    "full_name": ("_norm", "full_name"),
    "first_name": ("_norm", "first_name"),
    "last_name": ("_norm", "last_name"),
    "title": ("title",),
    "seniority": ("seniority",),
    "department": ("department",),
    "phone": ("_norm", "phone_e164"),
    "work_phone_e164": ("_norm", "work_phone_e164"),
    "personal_phone_e164": ("_norm", "mobile_phone_e164"),
    "linkedin_url": ("_norm", "linkedin_url"),
}
COMPANY_FIELDS = {
    "company_name": ("company_name",),
    "website_url": ("_norm", "website_url"),
    "domain": ("_norm", "domain"),
    "linkedin_url": ("_norm", "company_linkedin_url"),
    "company_phone": ("_norm", "company_phone_e164"),
    "employee_count": ("_norm", "employee_count"),
    "industry": ("industry",),
    "city": ("company_city",),
    "state_region": ("company_state",),
    "country": ("company_country",),
}


def ingest(*rows, batch_id="v3", source="apollo"):
    """Ingest rows and return their load ids."""
    return [r.load_id for r in batch_ingest(rows=list(rows), source=source, batch_id=batch_id).rows]


def dig(row, path):
    for key in path:
        row = row.get(key) if isinstance(row, dict) else None
    return row


def last_result():
    return AuditLog.objects.filter(action="batch_promoted").order_by("-log_id").first().details


def person(email):
    return Contact.objects.get(email__iexact=email)


def test_presets_land_at_least_90_percent_of_mapped_fields(db):
    """Apollo-, HubSpot- and Apify-shaped rows put >= 90% of their mapped fields on the records."""
    rows = [presets_v2.apollo(), presets_v2.hubspot(), presets_v2.apify()]
    ingest(*rows)
    loads_promote()
    expected = landed = 0
    for row in rows:
        p = person(dig(row, ("_norm", "email")) or row["email"])
        c = Company.objects.get(pk=p.company_id)
        company_name = row.get("company_name") or row.get("company")
        for obj, fields in ((p, PERSON_FIELDS), (c, COMPANY_FIELDS)):
            for field, path in fields.items():
                want = company_name if field == "company_name" else dig(row, path)
                if want in (None, ""):
                    continue
                expected += 1
                landed += str(getattr(obj, field)) == str(want)
        city = ", ".join(x for x in (row.get("city"), row.get("state"), row.get("country")) if x)
        expected += 1
        landed += p.location == city
    assert expected >= 40
    assert landed / expected >= 0.9, (landed, expected)


def test_apollo_row_lands_fully(db):
    """Every Apollo field of the row is on the person and the company; custom fields kept."""
    ingest(presets_v2.apollo())
    loads_promote()
    p = person("jane.doe@acme-widgets.example")
    assert (p.full_name, p.title, p.seniority, p.department) == (
        "Jane Doe",
        "Chief Executive Officer",
        "c_suite",
        "executive",
    )
    assert (p.work_phone_e164, p.personal_phone_e164) == ("+14155550101", "+14155550199")
    assert p.location == "San Francisco, California, United States"
    c = p.company
    assert (c.domain, c.employee_count, c.company_phone, c.industry) == (
        "acme-widgets.example",
        250,
        "+14155550100",
        "Machinery",
    )
    custom = scalar("SELECT custom_fields::text FROM vault.contacts WHERE email = %s", [p.email])
    custom = json.loads(custom)
    assert custom == {"apollo_contact_id": "5f2a9c"}


def test_names_are_not_taken_from_the_email(db):
    """A person is named from full_name, first+last or "_norm" parts; the e-mail only without."""
    ingest(
        {"email": "fl@names.example", "first_name": "Fay", "last_name": "Lee"},
        {"email": "nm@names.example", "_norm": {"first_name": "Nia", "last_name": "Moss"}},
        {"email": "lf@names.example", "full_name": "Lee, Fay", "_norm": {"full_name": "Fay Lee"}},
        {"email": "none@names.example"},
    )
    loads_promote()
    assert person("fl@names.example").full_name == "Fay Lee"
    assert person("nm@names.example").full_name == "Nia Moss"
    assert person("lf@names.example").full_name == "Fay Lee"
    assert person("none@names.example").full_name == "none@names.example"


def test_a_later_name_replaces_an_email_placeholder(db):
    """A person named after their e-mail takes the first real name a later load brings."""
    (first,) = ingest({"email": "anon@names.example"})
    loads_promote()
    age_loads([first], 31)
    ingest({"email": "anon@names.example", "full_name": "Ann Onym"}, batch_id="v3-b")
    loads_promote()
    assert person("anon@names.example").full_name == "Ann Onym"


def test_vendor_status_is_evidence_never_green(db):
    """A vendor's "Verified" is an email_verification row (provider = source); status stays gray."""
    ingest(presets_v2.apollo())
    loads_promote()
    p = person("jane.doe@acme-widgets.example")
    ev = EmailVerification.objects.get(contact=p)
    assert (ev.provider, ev.email_status, ev.result["vendor_status"]) == (
        "apollo",
        "green",
        "Verified",
    )
    assert ev.result["vendor_evidence"] is True
    assert ContactVerification.objects.get(contact=p).email_status == "gray"


def test_vendor_status_does_not_downgrade_a_real_check(db):
    """A vendor's "invalid" does not move a verifier's green."""
    set_role(None)
    p = builders.contact("Gia Green", email="gia@acme-widgets.example", email_status=None)
    EmailVerification.objects.create(contact=p, email=p.email, email_status="green")
    set_role("outreach_app")
    ingest({"email": "gia@acme-widgets.example", "email_status": "invalid"})
    loads_promote()
    assert ContactVerification.objects.get(contact=p).email_status == "green"
    assert EmailVerification.objects.filter(contact=p, provider="apollo").get().email_status == (
        "red"
    )


def test_a_session_set_cannot_trust_a_vendor(db):
    """outreach.trusted_email_providers counts only from ALTER DATABASE, not a session SET."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL outreach.trusted_email_providers = 'apollo'")
    ingest(presets_v2.apollo())
    loads_promote()
    p = person("jane.doe@acme-widgets.example")
    assert ContactVerification.objects.get(contact=p).email_status == "gray"


def test_a_trusted_provider_sets_the_current_status(db):
    """A provider named by ALTER DATABASE … SET outreach.trusted_email_providers is trusted."""
    set_role(None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER DATABASE {connection.settings_dict['NAME']} "
            "SET outreach.trusted_email_providers = 'zerobounce'"
        )
    set_role("outreach_app")
    ingest(presets_v2.apollo(), source="zerobounce")
    loads_promote()
    p = person("jane.doe@acme-widgets.example")
    assert ContactVerification.objects.get(contact=p).email_status == "green"


def test_empty_never_erases_and_newer_load_wins(db):
    """An empty value leaves the field; a newer load's non-empty value replaces an older one."""
    (first,) = ingest(presets_v2.hubspot())
    loads_promote()
    age_loads([first], 31)
    ingest({"email": "m.smith@globex.example", "title": "CFO", "seniority": ""}, batch_id="v3-b")
    loads_promote()
    p = person("m.smith@globex.example")
    assert p.title == "CFO"
    assert p.phone == "+442079460958"
    applied = PersonFieldProvenance.objects.filter(contact=p, field="title").order_by(
        "provenance_id"
    )
    assert [r.value for r in applied] == ["Finance Director", "CFO"]
    assert applied.last().batch_id == "v3-b"


def test_an_older_load_does_not_replace_a_newer_value(db):
    """A load older than the one that set a field is recorded rejected, the value stays."""
    (old,) = ingest({"email": "o@order.example", "title": "Analyst"})
    age_loads([old], 31)
    (new,) = ingest({"email": "o@order.example", "title": "CEO"}, batch_id="v3-b")
    loads_promote(load_ids=[new])
    loads_promote(load_ids=[old])
    assert person("o@order.example").title == "CEO"
    rejected = PersonFieldProvenance.objects.get(
        contact=person("o@order.example"), field="title", outcome="rejected"
    )
    assert (rejected.value, rejected.load_id) == ("Analyst", old)
    assert f"load {new}" in rejected.reason


def test_a_coordinators_edit_is_kept(db):
    """A field a coordinator edited is not overwritten by a vendor file; the value is rejected."""
    (first,) = ingest({"email": "k@keep.example", "full_name": "Kim Keep", "title": "Analyst"})
    loads_promote()
    p = person("k@keep.example")
    set_acting_user("alice")
    Contact.objects.filter(pk=p.pk).update(title="Head of People")
    age_loads([first], 31)
    ingest({"email": "k@keep.example", "title": "CEO", "department": "exec"}, batch_id="b2")
    loads_promote()
    p.refresh_from_db()
    assert (p.title, p.department) == ("Head of People", "exec")
    rejected = PersonFieldProvenance.objects.get(contact=p, outcome="rejected")
    assert (rejected.field, rejected.value, rejected.reason) == (
        "title",
        "CEO",
        "a coordinator's edit is kept",
    )


def test_a_manually_created_record_keeps_its_values(db):
    """A person and a company a coordinator created keep their non-empty fields, fill empty ones."""
    set_role(None)
    company = builders.company("Hand Made", website_url="https://handmade.example")
    company.domain = "handmade.example"
    company.save()
    p = builders.contact("Hal Hand", email="hal@handmade.example", title="COO", company=company)
    set_role("outreach_app")
    ingest(
        {
            "email": "hal@handmade.example",
            "full_name": "H. Hand",
            "title": "CEO",
            "seniority": "c_suite",
            "company_name": "Handmade Inc",
            "industry": "Crafts",
        }
    )
    loads_promote()
    p.refresh_from_db()
    company.refresh_from_db()
    assert (p.full_name, p.title, p.seniority) == ("Hal Hand", "COO", "c_suite")
    assert (company.company_name, company.industry) == ("Hand Made", "Crafts")
    assert CompanyFieldProvenance.objects.filter(
        company=company, field="company_name", outcome="rejected"
    ).exists()


def test_provenance_rows_and_panel(db):
    """Each field set by a promotion has a provenance row: source, load, batch, actor, time."""
    (load_id,) = ingest(presets_v2.apollo(), batch_id="apollo-2026-12")
    loads_promote()
    p = person("jane.doe@acme-widgets.example")
    panel = {e["field"]: e for e in person_field_provenance(p.contact_id)}
    assert {"title", "seniority", "work_phone_e164", "location"} <= set(panel)
    title = panel["title"]["last_set"]
    assert (title["source"], title["load_id"], title["batch_id"]) == (
        "apollo",
        load_id,
        "apollo-2026-12",
    )
    assert title["set_by"] == "promotion of batch apollo-2026-12"
    company_panel = {e["field"]: e for e in company_field_provenance(p.company_id)}
    assert company_panel["industry"]["last_set"]["value"] == "Machinery"


def test_slot_fill_uses_the_bulk_fill_threshold_and_names_the_batch(db):
    """Slots fill at the bulk-fill threshold only, and history names "promotion of batch B"."""
    assert inspect.signature(slots_bulk_fill).parameters["threshold"].default == 0.7
    low = scalar(
        "SELECT t.title FROM company.classify_titles(ARRAY['Assistant Controller', "
        "'Finance Associate', 'Deputy CFO', 'Interim HR Coordinator', 'Acting CEO']) t "
        "WHERE t.role_code IS NOT NULL AND t.confidence < 0.7 LIMIT 1"
    )
    rows = [presets_v2.apollo()]
    if low:
        rows.append({"email": "low@acme-widgets.example", "full_name": "Lo W", "title": low})
    ingest(*rows, batch_id="fill-b")
    result = loads_promote()
    company = Company.objects.get(domain="acme-widgets.example")
    ceo = CompanySlot.objects.get(company=company, role_code="CEO")
    assert ceo.contact_id == person("jane.doe@acme-widgets.example").contact_id
    if low:
        assert not CompanySlot.objects.filter(
            company=company, contact__email="low@acme-widgets.example"
        ).exists()
    history = CompanyHistory.objects.filter(company_slot_id=ceo.pk, action="update").get()
    assert history.changed_by == "promotion of batch fill-b"
    assert "slots_filled=1" in result.message
    assert last_result()["result"]["slots"]["filled"] == [ceo.pk]


def test_a_title_change_out_of_the_role_clears_the_slot(db):
    """A promoted title that no longer fits the held slot's role clears it, with a reason."""
    (first,) = ingest(presets_v2.apollo(), batch_id="t1")
    loads_promote()
    p = person("jane.doe@acme-widgets.example")
    slot = CompanySlot.objects.get(contact=p)
    age_loads([first], 31)
    ingest({"email": "jane.doe@acme-widgets.example", "title": "Board Advisor"}, batch_id="t2")
    result = loads_promote()
    slot.refresh_from_db()
    assert slot.contact_id is None
    cleared = CompanyHistory.objects.filter(company_slot_id=slot.pk).order_by("-history_id")[0]
    assert cleared.changed_by == "promotion of batch t2"
    assert "no longer fits" in cleared.new_values["reason"]
    assert last_result()["result"]["slots"]["cleared"] == [slot.pk]
    assert "slots_cleared=1" in result.message


def test_result_counts_add_up(db):
    """Loads promoted + failed = processed; created + updated + unchanged add up per kind."""
    (first,) = ingest(presets_v2.apollo())
    loads_promote()
    age_loads([first], 31)
    ingest(
        presets_v2.apollo(title="CEO & Founder"),
        presets_v2.hubspot(),
        {"email": "same@acme-widgets.example"},
        {"email": "broken@nodot"},
        batch_id="count",
    )
    loads_promote()
    r = last_result()["result"]
    assert r["loads"]["processed"] == 4
    assert r["loads"]["promoted"] + r["loads"]["failed"] == 4
    assert r["loads"]["failed_load_ids"] == list(
        RawLoad.objects.filter(status="failed").values_list("load_id", flat=True)
    )
    people = r["people"]
    assert len(people["created"]) == 2 and len(people["updated"]) == 1
    assert len(people["created"]) + len(people["updated"]) + len(people["unchanged"]) == 3
    companies = r["companies"]
    assert sum(len(companies[k]) for k in ("created", "updated", "unchanged")) == 2


def test_a_rerun_changes_nothing(db):
    """Promoting again (same loads, or the same data in a new batch) changes no row."""
    (first,) = ingest(presets_v2.apollo(), presets_v2.apify())[:1]
    loads_promote()

    def state():
        return (
            list(Contact.objects.order_by("pk").values_list("pk", "updated_at")),
            list(Company.objects.order_by("pk").values_list("pk", "updated_at")),
            PersonFieldProvenance.objects.count(),
            CompanyFieldProvenance.objects.count(),
            EmailVerification.objects.count(),
            PersonHistory.objects.count(),
            CompanyHistory.objects.count(),
        )

    before = state()
    loads_promote()
    assert state() == before
    age_loads([first], 31)
    ingest(presets_v2.apollo(), batch_id="again")
    loads_promote()
    after = state()
    assert after[:4] == before[:4] and after[5:] == before[5:]


def test_fallbacks_without_norm_store_null_not_wrong(db):
    """Without "_norm": junk websites give no domain, local phones no E.164, raw text is kept;
    a bare host that names a real domain gets https:// (the one URL rule)."""
    (load_id,) = ingest(
        {
            "email": "raw@gmail.com",
            "company": "Junk Co",
            "website": "N/A",
            "work_phone": "020 7946 0958",
            "mobile_phone": "+44 20 7946 0958",
            "linkedin_url": "linkedin.com/in/raw",
            "employee_count": "51-200",
        }
    )
    set_role(None)
    row = dict(
        zip(
            ["web_domain", "work", "mobile", "linkedin", "count", "custom"],
            connection.cursor()
            .execute(
                "SELECT web_domain, work_phone_e164, mobile_phone_e164, linkedin_url, "
                "employee_count, custom_fields FROM intake.raw_load_fields WHERE load_id = %s",
                [load_id],
            )
            .fetchone(),
            strict=True,
        )
    )
    assert row["web_domain"] is None and row["work"] is None
    assert row["linkedin"] == "https://linkedin.com/in/raw"
    assert row["mobile"] == "+442079460958" and row["count"] is None
    assert json.loads(row["custom"]) == {
        "website": "N/A",
        "work_phone": "020 7946 0958",
        "employee_count": "51-200",
    }
    set_role("outreach_app")
    junk = ["mailto:x@y.example", "javascript:alert(1)", "http://intranet/", "N/A"]
    ids = ingest(*[{"email": f"j{n}@gmail.com", "website": w} for n, w in enumerate(junk)])
    assert scalar(
        "SELECT count(*) FROM intake.raw_load_fields WHERE load_id = ANY(%s) "
        "AND web_domain IS NULL AND website_url IS NULL",
        [ids],
    ) == len(junk)
