"""Promotion of raw loads and company intake rows into the vault, companies and people, and
the one wrapper of ``vault.f_relink_people_contact`` (which person merges use through the
reference mover registered here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from intake.services.ingest import IngestRefused
from people.services import references


@dataclass(frozen=True)
class PromoteResult:
    """What ``vault.f_promote_contacts`` reported."""

    promoted_count: int
    updated_count: int
    failed_count: int
    message: str


@dataclass(frozen=True)
class CompanyIntakePromoteResult:
    """What ``intake.f_promote_company_intake`` reported."""

    promoted_count: int
    rejected_count: int
    message: str


def loads_promote(*, load_ids: Sequence[int] | None = None) -> PromoteResult:
    """Promote pending raw loads through ``vault.f_promote_contacts(bigint[])``.

    ``load_ids=None`` promotes every pending load. Upserts ``vault.contacts`` by email and carries
    each contact into ``company.company`` (with its three slots), ``people.contact`` and the
    matching empty slot, all in the one transaction of the call.
    """
    ids = None if load_ids is None else list(load_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT promoted_count, updated_count, failed_count, message "
            "FROM vault.f_promote_contacts(%s::bigint[])",
            [ids],
        )
        return PromoteResult(*cursor.fetchone())


def company_intake_promote(
    *, intake_ids: Sequence[int] | None = None
) -> CompanyIntakePromoteResult:
    """Promote pending ``intake.company_raw_intake`` rows via ``intake.f_promote_company_intake``.

    ``intake_ids=None`` promotes every pending row. Invalid rows are rejected with their
    ``validation_errors``; valid ones find or create their company (with its three slots).
    """
    ids = None if intake_ids is None else list(intake_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT promoted_count, rejected_count, message "
            "FROM intake.f_promote_company_intake(%s::bigint[])",
            [ids],
        )
        return CompanyIntakePromoteResult(*cursor.fetchone())


def people_contact_relink(*, from_contact_id: int, to_contact_id: int) -> int:
    """Re-point vault contacts from one person to another via ``vault.f_relink_people_contact``.

    For person merges (absorbed → survivor) and their undo; returns the number of rows moved.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vault.f_relink_people_contact(%s, %s)", [from_contact_id, to_contact_id]
        )
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class BatchPromoteOutcome:
    """A promotion's counts plus the audit row that names what it created or changed."""

    result: PromoteResult
    audit_log_id: int | None
    load_count: int


def batch_promote(
    *, batch_id: str, load_ids: Sequence[int] | None = None, actor: str
) -> BatchPromoteOutcome:
    """Promote the pending loads of one batch (all, or only ``load_ids`` of it).

    The ids are restricted to the batch in SQL, so a forged id from another batch is ignored.
    Raises ``IngestRefused`` when nothing in the selection is pending. ``actor`` names the
    user on the audit row (``outreach.actor`` is already set by the request or ``acting_as``).
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(array_agg(load_id ORDER BY load_id), '{}') FROM intake.raw_loads "
                "WHERE batch_id = %s AND status = 'pending' "
                "AND (%s::bigint[] IS NULL OR load_id = ANY(%s::bigint[]))",
                [
                    batch_id,
                    None if load_ids is None else list(load_ids),
                    None if load_ids is None else list(load_ids),
                ],
            )
            ids = cursor.fetchone()[0]
        if not ids:
            raise IngestRefused(
                f"Nothing to promote: batch {batch_id} has no pending loads selected."
            )
        result = loads_promote(load_ids=ids)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT max(log_id) FROM intake.audit_log WHERE action = 'batch_promoted' "
                "AND details -> 'requested_load_ids' = to_jsonb(%s::bigint[])",
                [ids],
            )
            audit_id = cursor.fetchone()[0]
    return BatchPromoteOutcome(result=result, audit_log_id=audit_id, load_count=len(ids))


VAULT_RELINK = "vault.f_relink_people_contact(bigint,bigint)"


def _vault_relink_available() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regprocedure(%s) IS NOT NULL", [VAULT_RELINK])
        return cursor.fetchone()[0]


def _vault_ids(contact_id: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_id FROM vault.contacts WHERE people_contact_id = %s ORDER BY 1",
            [contact_id],
        )
        return [r[0] for r in cursor.fetchall()]


def register_person_references() -> None:
    """Register the vault links a person merge moves with ``people_contact_relink``
    (``IntakeConfig.ready``)."""
    references.register_linked(
        references.LinkedRecords(
            key="vault.contacts",
            one="vault link",
            many="vault links",
            count_sql=(
                "SELECT 'vault.contacts', count(*) FROM vault.contacts WHERE people_contact_id = %s"
            ),
            missing_note="Vault links cannot be moved yet (vault relink function missing).",
            missing_skip="vault.f_relink_people_contact missing",
            split_refused=(
                "The vault links cannot be split back: the survivor had its own vault links "
                "before the merge."
            ),
            missing_on_undo="The vault relink function is missing; vault links cannot move back.",
            available=_vault_relink_available,
            ids=_vault_ids,
            relink=people_contact_relink,
        )
    )
