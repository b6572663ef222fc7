from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.ContactListView.as_view(), name="contact_list"),
    path("new/", views.ContactCreateView.as_view(), name="contact_create"),
    path("<int:pk>/", views.ContactDetailView.as_view(), name="contact"),
    path("<int:pk>/edit/", views.ContactEditView.as_view(), name="contact_edit"),
    path("duplicates/", views.ResolutionQueueListView.as_view(), name="resolution_list"),
    path("duplicates/<int:pk>/", views.ResolutionDetailView.as_view(), name="resolution"),
    path(
        "duplicates/<int:pk>/not-duplicate/",
        views.PairNotDuplicateView.as_view(),
        name="resolution_not_duplicate",
    ),
    path("duplicates/<int:pk>/defer/", views.PairDeferView.as_view(), name="resolution_defer"),
    path(
        "duplicates/<int:pk>/job-change/",
        views.PairJobChangeView.as_view(),
        name="resolution_job_change",
    ),
    path("duplicates/bulk-merge/", views.BulkMergeView.as_view(), name="bulk_merge"),
    path("merge/", views.PersonMergeView.as_view(), name="person_merge"),
    path("merges/", views.MergeLogListView.as_view(), name="merge_list"),
    path("merges/<int:pk>/", views.MergeLogDetailView.as_view(), name="merge"),
    path("merges/<int:pk>/undo/", views.MergeUndoView.as_view(), name="merge_undo"),
]
