"""Campaigns, members, messages, bookings and handoffs of the demo data set (``Seeder`` part)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from marketing.models import AcHandoff, BookingEvent, Campaign, CampaignContact, MessageLog
from overview.demo.vocabulary import ACTOR, CAMPAIGNS, MEMBER_STATUSES, REJECT_REASONS


class OutreachWriter:
    """Derives outreach from the written slots: ``self.slots``, ``self.people``, ``self.plan``."""

    def write_campaigns(self) -> None:
        """Campaigns walk the real lifecycle: created draft, members (green, active people in
        slots) added while draft, then activated, paused or completed; member outcomes after."""
        rng = self.rng
        quarter = f"Q{(self.now.month - 1) // 3 + 1} {self.now.year}"
        green = {
            contact.pk
            for p, contact in zip(self.plan.people, self.people, strict=True)
            if p.email_status == "green" and p.status == "active"
        }
        ready = getattr(self, "ready_companies", set())  # kept launchable on the renewals page
        eligible = [s for s in self.slots if s.contact_id in green and s.company_id not in ready]
        statuses, weights = zip(*MEMBER_STATUSES, strict=True)
        campaigns, members, final = [], [], {}
        for name, ctype, status, roles in CAMPAIGNS:
            started = None if status == "draft" else self.ago(rng.uniform(20, 100))
            pool = [s for s in eligible if s.role_code in roles]
            chosen = rng.sample(pool, min(len(pool), max(4, len(self.companies) // 5)))
            campaign = Campaign(
                name=name.format(quarter=quarter),
                type=ctype,
                status="draft",
                target_roles=roles,
                target_count=len(chosen),
                created_by=rng.choice(["demo", "dana.coordinator", "admin"]),
                created_at=(started or self.now) - timedelta(days=rng.uniform(1, 10)),
            )
            final[id(campaign)] = (status, started)
            for slot in chosen:
                outcome = "pending" if status == "draft" else rng.choices(statuses, weights)[0]
                members.append([campaign, slot, outcome])
            campaigns.append(campaign)
        # At most eight meetings booked overall: extra "booked" draws become replies, and
        # replies (then opens, then sends) are promoted when there are too few.
        live = [i for i, m in enumerate(members) if final[id(m[0])][0] != "draft"]
        booked = [i for i in live if members[i][2] == "booked"][:8]
        for wanted in ("replied", "opened", "sent"):
            booked += [i for i in live if members[i][2] == wanted][: 8 - len(booked)]
        for i, m in enumerate(members):
            m[2] = "booked" if i in booked else "replied" if m[2] == "booked" else m[2]

        Campaign.objects.bulk_create(campaigns)
        rows = CampaignContact.objects.bulk_create(
            [
                CampaignContact(
                    campaign=c,
                    contact_id=s.contact_id,
                    company_id=s.company_id,
                    role_code=s.role_code,
                )
                for c, s, _ in members
            ]
        )
        for campaign in campaigns:
            status, started = final[id(campaign)]
            if status == "draft":
                continue
            moves = [("active", {"started_at": started})]
            if status == "paused":
                moves.append(("paused", {}))
            elif status == "completed":
                moves.append(("completed", {"ended_at": started + timedelta(days=35)}))
            for move, extra in moves:
                Campaign.objects.filter(pk=campaign.pk).update(status=move, **extra)
            campaign.status, campaign.started_at = status, started
        by_outcome = {}
        for row, (_, _, outcome) in zip(rows, members, strict=True):
            row.status = outcome
            by_outcome.setdefault(outcome, []).append(row.pk)
        for outcome, ids in by_outcome.items():
            if outcome != "pending":
                CampaignContact.objects.filter(pk__in=ids).update(status=outcome)
        self.members = rows
        self.write_messages(rows)

    def write_messages(self, members) -> None:
        rng = self.rng
        company_name = {c.pk: c.company_name for c in self.companies}
        renewal = {c.pk: dt.date(2000, c.renewal_month, 1).strftime("%B") for c in self.companies}
        messages = []
        for m in members:
            if m.status == "pending":
                continue
            campaign = m.campaign
            name = company_name[m.company_id]
            month = renewal[m.company_id]
            sent = campaign.started_at + timedelta(days=rng.uniform(0, 10))
            opened = sent + timedelta(hours=rng.uniform(1, 48))
            messages.append(
                MessageLog(
                    campaign=campaign,
                    contact_id=m.contact_id,
                    direction="outbound",
                    channel="email",
                    message_type="initial",
                    status="bounced" if m.status == "bounced" else "sent",
                    subject=f"{name}'s {month} benefits renewal",
                    body="Hi — your renewal is coming up; could we compare options before it?",
                    sent_at=sent,
                    opened_at=opened if m.status in ("opened", "replied", "booked") else None,
                )
            )
            if m.status in ("opened", "replied", "booked", "unsubscribed") and rng.random() < 0.7:
                messages.append(
                    MessageLog(
                        campaign=campaign,
                        contact_id=m.contact_id,
                        direction="outbound",
                        channel=rng.choice(["email", "linkedin", "linkedin", "phone"]),
                        message_type="follow_up",
                        status="sent",
                        subject=f"Following up — {name} renewal",
                        sent_at=sent + timedelta(days=rng.uniform(3, 7)),
                    )
                )
            if m.status in ("replied", "booked"):
                replied = sent + timedelta(days=rng.uniform(1, 9))
                messages.append(
                    MessageLog(
                        campaign=campaign,
                        contact_id=m.contact_id,
                        direction="inbound",
                        channel=rng.choice(["email", "email", "linkedin", "phone"]),
                        message_type="reply",
                        status="replied",
                        subject=f"Re: {name}'s {month} benefits renewal",
                        body=rng.choice(
                            [
                                "Happy to talk — does Tuesday work?",
                                "Send me a few times next week.",
                                "We renew in the spring; let's talk in a month.",
                            ]
                        ),
                        sent_at=replied,
                        replied_at=replied,
                    )
                )
        MessageLog.objects.bulk_create(messages)

    def write_bookings_and_handoffs(self) -> None:
        rng = self.rng
        booked = [m for m in self.members if m.status == "booked"]
        bookings = BookingEvent.objects.bulk_create(
            [
                BookingEvent(
                    contact_id=m.contact_id,
                    company_id=m.company_id,
                    campaign=m.campaign,
                    event_time=self.now + timedelta(days=rng.uniform(-10, 14)),
                    source=rng.choice(["calendly", "hubspot", "manual"]),
                    created_by=ACTOR,
                    created_at=self.ago(rng.uniform(4, 12)),
                )
                for m in booked
            ]
        )
        # pending overdue (3+ days old), pending fresh, accepted, rejected.
        plan = ["pending_overdue", "pending", "accepted", "rejected", "pending_overdue"]
        plan += ["accepted", "pending", "pending_overdue"]
        handoffs = []
        for i, booking in enumerate(bookings):
            kind = plan[i % len(plan)]
            status = "pending" if kind.startswith("pending") else kind
            # Overdue: 4+ days old, past the one-business-day SLA whatever the weekday.
            created = self.ago(rng.uniform(4, 9) if kind != "pending" else rng.uniform(0.1, 0.9))
            reviewed = status in ("accepted", "rejected")
            handoffs.append(
                AcHandoff(
                    company_id=booking.company_id,
                    contact_id=booking.contact_id,
                    booking_event=booking,
                    notes="Booked from the renewal campaign; wants a benchmark of current rates.",
                    status=status,
                    reject_reason=rng.choice(REJECT_REASONS) if status == "rejected" else None,
                    reviewed_by="demo" if reviewed else None,
                    reviewed_at=created + timedelta(hours=rng.uniform(2, 30)) if reviewed else None,
                    review_notes="Good fit, 85 employees." if status == "accepted" else None,
                    created_at=created,
                )
            )
        AcHandoff.objects.bulk_create(handoffs)
