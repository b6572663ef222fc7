"""Marketing views by sub-domain: ``campaigns`` (renewals, campaigns, members) and
``handoffs`` (handoffs, bookings, messages)."""
