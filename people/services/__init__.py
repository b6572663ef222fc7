"""The only write path of the people app: person edits, pair triage, merge and undo, duplicate
detection.

Business-rule failures raise ``PeopleError`` subclasses whose message is meant for the user.
The modules: ``edit`` (create and edit a person), ``merge`` (merge and undo), ``preview``
(impact and guards), ``pairs`` (queue triage, job change, bulk merge), ``detection``,
``references`` (the movers higher apps register for the rows of theirs that point at a person)
and ``rows`` (SQL plumbing).
"""

from people.services.detection import duplicates_find
from people.services.edit import (
    PersonConflict,
    PersonError,
    PersonNotFound,
    person_create,
    person_update,
)
from people.services.merge import MERGE_FIELDS, merge_undo, person_merge
from people.services.pairs import (
    job_change_current,
    pair_defer,
    pair_link_job_change,
    pair_mark_not_duplicate,
    pairs_bulk_merge,
)
from people.services.preview import MergePreview, merge_preview
from people.services.results import person_intelligence_record, person_verification_record
from people.services.rows import (
    AddressNotCurrent,
    MergeRefused,
    PairStateError,
    PeopleError,
    UndoRefused,
)

__all__ = [
    "AddressNotCurrent",
    "MERGE_FIELDS",
    "MergePreview",
    "MergeRefused",
    "PairStateError",
    "PeopleError",
    "PersonConflict",
    "PersonError",
    "PersonNotFound",
    "UndoRefused",
    "duplicates_find",
    "job_change_current",
    "merge_preview",
    "merge_undo",
    "pair_defer",
    "pair_link_job_change",
    "pair_mark_not_duplicate",
    "pairs_bulk_merge",
    "person_intelligence_record",
    "person_create",
    "person_merge",
    "person_update",
    "person_verification_record",
]
