"""Signals, scores, company intelligence and raw intake of the demo data set (``Seeder`` part)."""

from __future__ import annotations

import datetime as dt
import json
from datetime import timedelta
from decimal import Decimal

from django.db import connection, transaction

from companies.models import CompanyIntelligence
from outreach_admin.fields import ROLES
from overview.demo.vocabulary import FIRST_NAMES, LAST_NAMES, OTHER_TITLES, ROLE_TITLES, SIGNALS
from signals.models import CompanyScore, Signal


class EnrichmentWriter:
    """Signals and intake on top of the written companies and slots."""

    def write_signals(self) -> None:
        """Renewal signals and scores through the signals app's SQL functions when installed
        (``bit.generate_renewal_signals``, ``bit.recalculate_scores``), else equivalent rows."""
        rng = self.rng
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regprocedure('bit.generate_renewal_signals(date)') IS NOT NULL, "
                "to_regprocedure('bit.recalculate_scores(timestamptz)') IS NOT NULL"
            )
            has_generator, has_scores = cursor.fetchone()
            in_window = []
            if not has_generator:
                cursor.execute(
                    "SELECT company_id, next_renewal_date, campaign_window_start "
                    "FROM company.vw_next_renewal WHERE in_window AND status = 'active' "
                    "ORDER BY company_id"
                )
                in_window = cursor.fetchall()
        signals = [
            Signal(
                company_id=company_id,
                reason="renewal_window_open_120d",
                signal_strength=80,
                payload={
                    "next_renewal_date": renewal.isoformat(),
                    "campaign_window_start": start.isoformat(),
                },
                dedupe_key=f"renewal:{company_id}:{renewal.isoformat()}",
                created_at=min(self.now, dt.datetime.combine(start, dt.time(6), tzinfo=dt.UTC)),
                processed_at=self.ago(rng.uniform(0, 5)) if rng.random() < 0.5 else None,
            )
            for company_id, renewal, start in in_window
        ]
        intelligence = []
        for company in self.companies:
            if rng.random() > 0.3:
                continue
            reason, strength, headline = rng.choice(SIGNALS)
            detected = self.ago(rng.uniform(0, 90))
            title = headline.format(
                name=company.company_name,
                amount=rng.choice([8, 12, 25, 40]),
                series=rng.choice("ABC"),
                count=rng.randint(5, 30),
            )
            contact = next(
                (s.contact_id for s in self.slots if s.company_id == company.pk and s.contact_id),
                None,
            )
            signals.append(
                Signal(
                    company=company,
                    contact_id=contact if reason == "executive_movement" else None,
                    reason=reason,
                    signal_strength=strength,
                    payload={"headline": title},
                    dedupe_key=f"{reason}:{company.pk}:{detected.date().isoformat()}",
                    created_at=detected,
                    processed_at=detected + timedelta(hours=6) if rng.random() < 0.5 else None,
                )
            )
            intelligence.append(
                CompanyIntelligence(
                    company=company,
                    intelligence_type="news" if reason == "funding_raised" else "signal",
                    source=rng.choice(["Google News", "LinkedIn", "Crunchbase", "press release"]),
                    title=title,
                    url=f"https://www.{company.domain}/news/{detected:%Y-%m-%d}",
                    score=Decimal(strength),
                    detected_at=detected,
                    payload={"reason": reason},
                )
            )
        signals = Signal.objects.bulk_create(signals)
        CompanyIntelligence.objects.bulk_create(intelligence)
        with connection.cursor() as cursor:
            if has_generator:
                cursor.execute("SELECT bit.generate_renewal_signals(current_date)")
            if has_scores:
                cursor.execute("SELECT * FROM bit.recalculate_scores(now())")
                return
        totals = {}
        for s in signals:
            totals.setdefault(s.company_id, {})[s.reason] = s.signal_strength
        CompanyScore.objects.bulk_create(
            [
                CompanyScore(
                    company_id=company_id,
                    total_score=min(100, sum(b.values()) * 2 // 3),
                    signal_breakdown=b,
                )
                for company_id, b in totals.items()
            ]
        )

    def ingest_raw_rows(self) -> None:
        """~40 raw rows through intake.f_ingest_json; half promoted by vault.f_promote_contacts."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regprocedure('intake.f_ingest_json(jsonb[], text, text)') IS NOT NULL "
                "AND to_regprocedure('vault.f_promote_contacts(bigint[])') IS NOT NULL"
            )
            if not cursor.fetchone()[0]:
                self.stdout.write(
                    "Note: intake.f_ingest_json is not installed; no raw loads seeded."
                )
                return
        rng = self.rng
        rows = []
        for i in range(40):
            company = rng.choice(self.companies)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            row = {
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{i}@{company.domain}".lower(),
                # Mostly staff titles: promotion fills an open slot for each CEO/CFO/HR title,
                # and the demo keeps the customer's fill rate (FILL_RATE).
                "title": rng.choice(
                    ROLE_TITLES[rng.choice(ROLES)] if i % 10 == 3 else OTHER_TITLES
                ),
                "company": company.company_name,
                "website": company.website_url,
            }
            if i % 13 == 5:
                row.pop("email")  # vendors send rows without an address; ingest reports them
            rows.append(json.dumps(row))
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT load_id, status FROM intake.f_ingest_json(%s::jsonb[], %s, %s)",
                    [rows, "apollo", f"demo-{self.now:%Y%m%d}-001"],
                )
                pending = [lid for lid, status in cursor.fetchall() if status == "pending"]
                cursor.execute(
                    "SELECT promoted_count, updated_count, failed_count "
                    "FROM vault.f_promote_contacts(%s::bigint[])",
                    [pending[: len(pending) // 2]],
                )
                promoted, updated, failed = cursor.fetchone()
        except Exception as exc:  # another engineer's function: report, keep the demo data
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            self.stdout.write(f"Note: raw intake skipped ({exc.__class__.__name__}: {reason}).")
            return
        self.stdout.write(
            f"Raw intake: {len(pending)} rows pending, promoted {promoted} "
            f"(updated {updated}, failed {failed})."
        )
