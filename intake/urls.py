from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.BatchListView.as_view(), name="batch_list"),
    path("upload/", views.BatchUploadView.as_view(), name="batch_upload"),
    path("upload/map/", views.BatchUploadMapView.as_view(), name="batch_upload_map"),
    path("batches/promote/", views.BatchPromoteView.as_view(), name="batch_promote"),
    path("batches/<path:batch_id>/", views.BatchDetailView.as_view(), name="batch"),
    path("loads/<int:pk>/", views.RawLoadDetailView.as_view(), name="load"),
    path("audit/", views.AuditLogListView.as_view(), name="audit_list"),
    path("runs/", views.PleCycleListView.as_view(), name="run_list"),
    path("runs/<int:pk>/", views.PleCycleDetailView.as_view(), name="run"),
]
