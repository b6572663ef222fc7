"""Intake views by sub-domain: ``uploads`` (the upload page, its mapping step, background upload
jobs) and ``batches`` (batches, loads, audit log, runs, queues, the duplicate scan)."""

from intake.views.batches import (
    AuditLogListView,
    BatchDetailView,
    BatchListView,
    BatchPromoteView,
    DetectDuplicatesView,
    PleCycleDetailView,
    PleCycleListView,
    QueueListView,
    RawLoadDetailView,
)
from intake.views.uploads import (
    UPLOAD_DIR,
    BatchUploadMapView,
    BatchUploadView,
    UploadJobCancelView,
    UploadJobDetailView,
    UploadJobListView,
)

__all__ = [
    "UPLOAD_DIR",
    "AuditLogListView",
    "BatchDetailView",
    "BatchListView",
    "BatchPromoteView",
    "BatchUploadMapView",
    "BatchUploadView",
    "DetectDuplicatesView",
    "PleCycleDetailView",
    "PleCycleListView",
    "QueueListView",
    "RawLoadDetailView",
    "UploadJobCancelView",
    "UploadJobDetailView",
    "UploadJobListView",
]
