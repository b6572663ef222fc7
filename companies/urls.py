from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("", views.CompanyListView.as_view(), name="company_list"),
    path("new/", views.CompanyCreateView.as_view(), name="company_create"),
    path("<int:pk>/", views.CompanyDetailView.as_view(), name="company"),
    path("<int:pk>/edit/", views.CompanyEditView.as_view(), name="company_edit"),
    path("slots/", views.SlotQueueView.as_view(), name="slot_queue"),
    path("slots/<int:pk>/", views.SlotDetailView.as_view(), name="slot"),
    path("slots/<int:pk>/next/", views.SlotNextView.as_view(), name="slot_next"),
    path("slots/<int:pk>/assign/", views.SlotAssignView.as_view(), name="slot_assign"),
    path("slots/<int:pk>/clear/", views.SlotClearView.as_view(), name="slot_clear"),
    path("slots/bulk-fill/", views.SlotBulkFillView.as_view(), name="slot_bulk_fill"),
    path(
        "slots/bulk-fill/result/",
        views.SlotBulkFillResultView.as_view(),
        name="slot_bulk_fill_result",
    ),
]
