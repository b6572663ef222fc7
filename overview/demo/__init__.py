"""The demo data set of ``manage.py seed_demo``: realistic, deterministic, for an empty database.

Two halves. ``plan.build_plan`` is pure Python driven by ``random.Random(seed)``: the companies,
their people (with titles easy and hard to map to CEO/CFO/HR), verification statuses and the
duplicate pairs. ``seeder.Seeder`` writes the plan through the ORM with one ``bulk_create`` per
table inside ``acting_as("seed_demo")`` (so the history triggers name the actor and the app
role's grants apply), then derives the rest from what the database says: duplicate pairs are
queued by ``people.detect_duplicates`` (its evidence, so the bulk merge finds its unambiguous
``+tag`` pairs), slots are filled from ``company.classify_title`` (the one title classifier, never
re-implemented here) at the customer's 12.5% fill rate, with a few in-window companies kept
launchable, and renewal signals come from ``company.vw_next_renewal``. RLS-protected intake
tables are written only through ``intake.f_ingest_json`` / ``vault.f_promote_contacts`` when those
functions exist.

Modules: ``vocabulary`` (names, titles, shares, canned texts), ``plan``, ``seeder`` (companies,
people, verifications, slots, duplicates; ``table_counts``), ``outreach`` (campaigns, messages,
bookings, handoffs) and ``enrichment`` (signals, scores, intelligence, raw intake).
"""
