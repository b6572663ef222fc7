from django.urls import path, register_converter

from intake import api, openapi, views


class BatchIdConverter:
    """Any batch id, slashes and line breaks included. ``<path:…>`` stops at a line break
    (``.`` without DOTALL), so a batch stored with a newline in its id made every page that
    links it answer 500 (``NoReverseMatch``); f_ingest_json refuses such ids since intake 0050,
    but rows stored before stay."""

    regex = r"[\s\S]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(BatchIdConverter, "batch_id")

app_name = "intake"

urlpatterns = [
    path("", views.BatchListView.as_view(), name="batch_list"),
    path("upload/", views.BatchUploadView.as_view(), name="batch_upload"),
    path("upload/map/", views.BatchUploadMapView.as_view(), name="batch_upload_map"),
    path("uploads/", views.UploadJobListView.as_view(), name="upload_job_list"),
    path("uploads/<int:pk>/", views.UploadJobDetailView.as_view(), name="upload_job"),
    path("uploads/<int:pk>/cancel/", views.UploadJobCancelView.as_view(), name="upload_job_cancel"),
    path("batches/promote/", views.BatchPromoteView.as_view(), name="batch_promote"),
    path("batches/<batch_id:batch_id>/", views.BatchDetailView.as_view(), name="batch"),
    path("loads/<int:pk>/", views.RawLoadDetailView.as_view(), name="load"),
    path("queues/", views.QueueListView.as_view(), name="queue_list"),
    path("audit/", views.AuditLogListView.as_view(), name="audit_list"),
    path("runs/", views.PleCycleListView.as_view(), name="run_list"),
    path("runs/<int:pk>/", views.PleCycleDetailView.as_view(), name="run"),
    path("duplicates/detect/", views.DetectDuplicatesView.as_view(), name="detect_duplicates"),
    path("api/openapi.json", openapi.openapi_json, name="api_openapi"),
    path("api/claim", api.claim, name="api_claim"),
    path("api/results/company", api.company_result, name="api_result_company"),
    path("api/results/profile", api.profile_result, name="api_result_profile"),
    path("api/results/email", api.email_result, name="api_result_email"),
    path("api/results/linkedin-job", api.linkedin_job_result, name="api_result_linkedin_job"),
    path("api/results/actor-usage", api.actor_usage_result, name="api_result_actor_usage"),
]
