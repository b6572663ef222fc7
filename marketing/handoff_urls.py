from django.urls import path

from marketing import handoff_views as views

urlpatterns = [
    path("handoffs/", views.AcHandoffListView.as_view(), name="handoff_list"),
    path("handoffs/<int:pk>/", views.AcHandoffDetailView.as_view(), name="handoff"),
    path("handoffs/<int:pk>/accept/", views.HandoffAcceptView.as_view(), name="handoff_accept"),
    path("handoffs/<int:pk>/reject/", views.HandoffRejectView.as_view(), name="handoff_reject"),
    path("handoffs/<int:pk>/close/", views.HandoffCloseView.as_view(), name="handoff_close"),
    path(
        "handoffs/<int:pk>/reassign/",
        views.HandoffReassignView.as_view(),
        name="handoff_reassign",
    ),
    path(
        "handoffs/bulk-assign/",
        views.HandoffBulkAssignView.as_view(),
        name="handoff_bulk_assign",
    ),
    path("bookings/", views.BookingEventListView.as_view(), name="booking_list"),
    path("bookings/add/", views.BookingEventCreateView.as_view(), name="booking_add"),
    path("messages/add/", views.MessageLogCreateView.as_view(), name="message_add"),
]
