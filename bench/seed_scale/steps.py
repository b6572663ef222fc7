"""The dataset's steps: set-based ``INSERT … SELECT … FROM generate_series`` per table."""

from __future__ import annotations

from bench.seed_scale.vocabulary import INDUSTRIES, STATES, sql_array


def companies(cur, n, size, seed, log):
    cur.execute(
        f"""
        INSERT INTO company.company (company_id, company_name, domain, website_url, linkedin_url,
            news_url, industry, employee_count, state_region, country, renewal_month,
            renewal_notice_window_days, status, source_system, last_site_checked_at,
            last_linkedin_checked_at, last_news_checked_at, created_at, updated_at)
        SELECT i, nm || ' ' || bench.pick('csuf', i, ARRAY['Inc','LLC','Group','Holdings',
                   'Partners','Co','Industries','Labs']),
               lower(nm) || i || '.example.com', 'https://' || lower(nm) || i || '.example.com',
               'https://www.linkedin.com/company/' || lower(nm) || i,
               CASE WHEN bench.u('news', i) < 0.5
                    THEN 'https://' || lower(nm) || i || '.example.com/news' END,
               bench.pick('ind', i, {sql_array(INDUSTRIES)}),
               (5 + floor(exp(bench.u('emp', i) * ln(2000))))::int,
               bench.pick('st', i, {sql_array(STATES)}), 'US',
               1 + floor(bench.u('rm', i) * 12)::int,
               CASE WHEN bench.u('win', i) < 0.4 THEN 30 WHEN bench.u('win', i) < 0.8 THEN 60
                    ELSE 90 END,
               CASE WHEN bench.u('cst', i) < 0.95 THEN 'active'
                    WHEN bench.u('cst', i) < 0.98 THEN 'inactive' ELSE 'archived' END,
               'seed_scale',
               now() - bench.u('lsc', i) * interval '120 days',
               now() - bench.u('llc', i) * interval '120 days',
               now() - bench.u('lnc', i) * interval '120 days',
               now() - bench.u('cc', i) * interval '730 days', now()
        FROM generate_series(1, {n["companies"]}) AS i,
             LATERAL (SELECT bench.surname(bench.zipf('cn', i, 72000, 200))
                             || bench.pick('cn2', i, ARRAY['','tech','ware','works','corp',
                                'field','point','line','stone','bridge']) AS nm) AS x
        """
    )
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('company.company', 'company_id'), "
        "(SELECT max(company_id) FROM company.company))"
    )


def people(cur, n, size, seed, log):
    np_, nc = n["people"], n["companies"]
    ndup = max(1, np_ // 50)  # 2% near-duplicates, the last ids
    base = np_ - ndup
    cur.execute(
        f"""
        INSERT INTO people.contact (contact_id, full_name, first_name, last_name, title, email,
            linkedin_url, company_id, status, source_system, last_profile_checked_at,
            created_at, updated_at)
        SELECT i, fn || ' ' || ln, fn, ln, bench.title_of(i),
               lower(fn || '.' || ln || '.' || i) || '@' ||
                   CASE WHEN bench.u('pm', i) < 0.1 THEN 'gmail.com'
                        ELSE 'c' || cid || '.example.com' END,
               CASE WHEN bench.u('li', i) < 0.7
                    THEN 'https://www.linkedin.com/in/' || lower(fn || '-' || ln || '-' || i) END,
               cid,
               CASE WHEN bench.u('pst', i) < 0.97 THEN 'active'
                    WHEN bench.u('pst', i) < 0.985 THEN 'inactive'
                    WHEN bench.u('pst', i) < 0.995 THEN 'bounced' ELSE 'unsubscribed' END,
               'seed_scale', now() - bench.u('plc', i) * interval '120 days',
               now() - bench.u('pc', i) * interval '730 days', now()
        FROM generate_series(1, {base}) AS i,
             LATERAL (SELECT bench.first_of(i) AS fn, bench.last_of(i) AS ln,
                             1 + floor(bench.u('pco', i) * {nc})::bigint AS cid) AS x
        """
    )
    # Near-duplicates: same company and first name as an earlier person, surname with one edit
    # (a doubled or dropped letter) or unchanged, and a personal email.
    cur.execute(
        f"""
        INSERT INTO bench.injected_duplicate (duplicate_id, original_id)
        SELECT {base} + j, 1 + floor(bench.u('dupo', j) * {base})::bigint
        FROM generate_series(1, {ndup}) AS j
        ON CONFLICT DO NOTHING
        """
    )
    cur.execute(
        """
        INSERT INTO people.contact (contact_id, full_name, first_name, last_name, title, email,
            company_id, status, source_system, last_profile_checked_at, created_at, updated_at)
        SELECT d.duplicate_id, o.first_name || ' ' || ln2, o.first_name, ln2, o.title,
               lower(o.first_name || ln2 || d.duplicate_id) || '@gmail.com',
               o.company_id, 'active', 'seed_scale',
               now() - bench.u('plc', d.duplicate_id) * interval '120 days', now(), now()
        FROM bench.injected_duplicate d
        JOIN people.contact o ON o.contact_id = d.original_id,
        LATERAL (SELECT CASE
            WHEN bench.u('dedit', d.duplicate_id) < 0.4 THEN o.last_name
            WHEN bench.u('dedit', d.duplicate_id) < 0.7
                THEN left(o.last_name, length(o.last_name) - 1)
            ELSE o.last_name || right(o.last_name, 1) END AS ln2) AS x
        """
    )
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('people.contact', 'contact_id'), "
        "(SELECT max(contact_id) FROM people.contact))"
    )
    cur.execute(
        """
        INSERT INTO people.contact_verification (contact_id, email_status, email_checked_at,
            email_confidence, provider, created_at, updated_at)
        SELECT p.contact_id,
               CASE WHEN u < 0.25 THEN 'green' WHEN u < 0.55 THEN 'yellow'
                    WHEN u < 0.70 THEN 'red' ELSE 'gray' END,
               CASE WHEN u < 0.70 THEN now() - bench.u('vck', p.contact_id) * interval '120 days'
               END,
               CASE WHEN u < 0.70 THEN round((50 + 50 * bench.u('vcf', p.contact_id))::numeric, 2)
               END,
               'seed_scale', now(), now()
        FROM people.contact p, LATERAL (SELECT bench.u('ver', p.contact_id) AS u) AS x
        """
    )


def slots(cur, n, size, seed, log):
    # ~40% of slots filled, each by a distinct person of the same company.
    cur.execute(
        """
        CREATE TEMP TABLE seed_company_people ON COMMIT DROP AS
        SELECT company_id, contact_id,
               row_number() OVER (PARTITION BY company_id ORDER BY contact_id) - 1 AS rn
        FROM people.contact WHERE status = 'active'
        """
    )
    cur.execute("CREATE INDEX ON seed_company_people (company_id, rn)")
    cur.execute(
        """
        INSERT INTO company.company_slot (company_slot_id, company_id, role_code, contact_id,
            filled_at, last_refreshed_at, created_at, updated_at)
        SELECT (c.company_id - 1) * 3 + r.k + 1, c.company_id, r.role, cp.contact_id,
               CASE WHEN cp.contact_id IS NOT NULL
                    THEN now() - bench.u('sfa', c.company_id * 3 + r.k) * interval '365 days' END,
               now() - bench.u('srf', c.company_id * 3 + r.k) * interval '120 days', now(), now()
        FROM company.company c
        CROSS JOIN (VALUES (0, 'CEO'), (1, 'CFO'), (2, 'HR')) AS r(k, role)
        LEFT JOIN seed_company_people cp
          ON cp.company_id = c.company_id AND cp.rn = r.k
         AND bench.u('fill', c.company_id * 3 + r.k) < 0.42
        """
    )
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('company.company_slot', 'company_slot_id'), "
        "(SELECT max(company_slot_id) FROM company.company_slot))"
    )


def campaigns(cur, n, size, seed, log):
    ncamp, nmem = n["campaigns"], n["members"]
    cur.execute(
        f"""
        INSERT INTO marketing.campaign (campaign_id, name, type, status, target_roles,
            target_count, created_by, started_at, created_at, updated_at)
        SELECT i, 'Scale campaign ' || i,
               bench.pick('ctype', i, ARRAY['cold_outreach','nurture','follow_up','renewal']),
               bench.pick('cstat', i, ARRAY['draft','active','paused','completed','completed',
                   'completed','completed','completed','completed','completed']),
               ARRAY['CEO','CFO','HR'], {nmem} / {ncamp}, 'seed_scale',
               now() - bench.u('cst', i) * interval '200 days',
               now() - bench.u('cst', i) * interval '200 days', now()
        FROM generate_series(1, {ncamp}) AS i
        """
    )
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('marketing.campaign', 'campaign_id'), "
        "(SELECT max(campaign_id) FROM marketing.campaign))"
    )
    # Members: only active people with green emails (the member rules), distinct per campaign.
    cur.execute(
        """
        CREATE TEMP TABLE seed_green ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY p.contact_id) - 1 AS gn, p.contact_id, p.company_id,
               s.role_code
        FROM people.contact p
        JOIN people.contact_verification v USING (contact_id)
        LEFT JOIN company.company_slot s ON s.contact_id = p.contact_id
        WHERE p.status = 'active' AND v.email_status = 'green'
        """
    )
    cur.execute("CREATE INDEX ON seed_green (gn)")
    cur.execute("SELECT count(*) FROM seed_green")
    ngreen = cur.fetchone()[0]
    per = min(ngreen, max(1, nmem // ncamp))
    cur.execute(
        f"""
        INSERT INTO marketing.campaign_contact (campaign_id, contact_id, company_id, role_code,
            status, created_at, updated_at)
        SELECT c, g.contact_id, g.company_id, g.role_code,
               bench.pick('mst', c * 1000003 + j, ARRAY['pending','sent','sent','sent','opened',
                   'opened','replied','bounced','unsubscribed','booked']),
               ca.created_at, ca.created_at
        FROM generate_series(1, {ncamp}) AS c
        JOIN marketing.campaign ca ON ca.campaign_id = c
        CROSS JOIN generate_series(0, {per} - 1) AS j
        JOIN seed_green g
          ON g.gn = (floor(bench.u('moff', c) * {ngreen})::bigint + j) % {ngreen}
        """
    )
    cur.execute(
        """
        UPDATE marketing.campaign c
        SET sent_count = m.sent, response_count = m.resp
        FROM (SELECT campaign_id,
                     count(*) FILTER (WHERE status <> 'pending') AS sent,
                     count(*) FILTER (WHERE status IN ('replied', 'booked')) AS resp
              FROM marketing.campaign_contact GROUP BY campaign_id) m
        WHERE m.campaign_id = c.campaign_id
        """
    )


def messages(cur, n, size, seed, log):
    cur.execute(
        """
        CREATE TEMP TABLE seed_members ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY campaign_contact_id) - 1 AS mn, campaign_id,
               contact_id
        FROM marketing.campaign_contact
        """
    )
    cur.execute("CREATE INDEX ON seed_members (mn)")
    cur.execute("SELECT count(*) FROM seed_members")
    nm = cur.fetchone()[0]
    cur.execute(
        f"""
        INSERT INTO marketing.message_log (direction, channel, message_type, status, subject,
            sent_at, opened_at, replied_at, created_at, campaign_id, contact_id)
        SELECT CASE WHEN u < 0.9 THEN 'outbound' ELSE 'inbound' END,
               bench.pick('mch', i, ARRAY['email','email','email','linkedin','phone']),
               CASE WHEN u < 0.9 THEN bench.pick('mty', i, ARRAY['initial','follow_up'])
                    ELSE 'reply' END,
               bench.pick('mss', i, ARRAY['sent','sent','opened','replied','bounced']),
               'Renewal outreach ' || (i % 97),
               ts, CASE WHEN bench.u('mop', i) < 0.3 THEN ts + interval '1 day' END,
               CASE WHEN u >= 0.9 THEN ts + interval '2 days' END, ts,
               m.campaign_id, m.contact_id
        FROM generate_series(1, {n["messages"]}) AS i
        CROSS JOIN LATERAL (SELECT bench.u('mdir', i) AS u,
                             now() - bench.u('msa', i) * interval '365 days' AS ts) AS x
        JOIN seed_members m ON m.mn = floor(bench.u('mmem', i) * {nm})::bigint
        """
    )


def raw_loads(cur, n, size, seed, log):
    """Ingest through intake.f_ingest_json in batches; 10% repeat an email of the last ~1000."""
    nr, nb, np_ = n["raw_loads"], n["batches"], n["people"]
    per = -(-nr // nb)
    cur.execute(
        """
        CREATE OR REPLACE FUNCTION bench.load_email(k bigint, np bigint) RETURNS text
            LANGUAGE sql STABLE PARALLEL SAFE
            RETURN CASE WHEN k % 2 = 0
                        THEN (SELECT p.email FROM people.contact p
                              WHERE p.contact_id = 1 + (k / 2 - 1) % np)
                        ELSE lower(bench.first_of(k + 7919) || '.' || bench.last_of(k + 7919)
                                   || '.n' || k) || '@' || 'co' || (k % 5000) || '.example.net'
                   END
        """
    )
    cur.execute(
        "SELECT batch_id FROM intake.raw_loads WHERE batch_id LIKE %s GROUP BY batch_id",
        [f"scale-{size}-{seed}-%"],
    )
    done = {r[0] for r in cur.fetchall()}
    for b in range(nb):
        batch = f"scale-{size}-{seed}-{b:05d}"
        lo, hi = b * per + 1, min(nr, (b + 1) * per)
        if batch in done or lo > hi:
            continue
        cur.execute(
            f"""
            SELECT count(*) FROM intake.f_ingest_json(
                (SELECT array_agg(jsonb_strip_nulls(jsonb_build_object(
                     'email', bench.load_email(e, {np_}),
                     'full_name', bench.first_of(e + 7919) || ' ' || bench.last_of(e + 7919),
                     'title', bench.title_of(e),
                     'company_name', 'Co ' || (e % 5000),
                     'website', 'https://co' || (e % 5000) || '.example.net',
                     'phone', CASE WHEN bench.u('rph', k) < 0.3
                                   THEN '+1555' || lpad((k % 10000000)::text, 7, '0') END))
                     ORDER BY k)
                 FROM generate_series({lo}, {hi}) AS k,
                 LATERAL (SELECT CASE WHEN bench.u('rep', k) < 0.1 AND k > 1
                                      THEN k - 1 - floor(bench.u('repd', k)
                                                         * least(k - 1, 999))::bigint
                                      ELSE k END AS e) AS x),
                bench.pick('src', {b}, ARRAY['apollo','apify','csv','manual']), '{batch}')
            """
        )
        if b % 100 == 99:
            log(f"    raw_loads batch {b + 1}/{nb}")


def derived(cur, n, size, seed, log):
    """Columns and summaries the triggers keep, computed once after the bulk load.

    The bulk steps run with triggers off, so ``company.trigger_renewal_dates`` never stored
    ``next_renewal_date`` / ``campaign_window_start`` (issue 18: every renewal query then ran its
    slow fallback). One set-based UPDATE calls the trigger's own function,
    ``company.next_renewal_date``, with the trigger's rule for the window start; the summary
    tables the statement triggers keep are recomputed by their refresh functions. Idempotent.
    """
    cur.execute(
        """
        UPDATE company.company c
           SET next_renewal_date = d.renewal,
               campaign_window_start = d.renewal - c.renewal_notice_window_days
          FROM (SELECT company_id, company.next_renewal_date(renewal_month, current_date) AS renewal
                  FROM company.company WHERE renewal_month BETWEEN 1 AND 12) d
         WHERE c.company_id = d.company_id
           AND (c.next_renewal_date IS DISTINCT FROM d.renewal
                OR c.campaign_window_start
                   IS DISTINCT FROM d.renewal - c.renewal_notice_window_days)
        """
    )
    log(f"  derived: {cur.rowcount} stored renewal dates")
    # The trigger-kept summaries (issue 18) missed the whole load: recompute them once.
    cur.execute("SELECT company.refresh_slot_coverage()")
    cur.execute("SELECT company.refresh_renewal_count()")
    cur.execute("SELECT marketing.refresh_member_status_count()")
    cur.execute("SELECT marketing.refresh_renewal_readiness()")


STEP_FUNCS = {
    "companies": companies,
    "people": people,
    "slots": slots,
    "campaigns": campaigns,
    "messages": messages,
    "raw_loads": raw_loads,
    "derived": derived,
}
