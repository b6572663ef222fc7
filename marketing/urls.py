from django.urls import path

from marketing.views import campaigns, handoffs

app_name = "marketing"

urlpatterns = [
    path("renewals/", campaigns.RenewalListView.as_view(), name="renewal_list"),
    path("campaigns/", campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/build/", campaigns.CampaignBuildView.as_view(), name="campaign_build"),
    path("campaigns/create/", campaigns.CampaignCreateView.as_view(), name="campaign_create"),
    path(
        "campaigns/bulk-status/",
        campaigns.CampaignBulkTransitionView.as_view(),
        name="campaign_bulk_transition",
    ),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="campaign"),
    path(
        "campaigns/<int:pk>/transition/",
        campaigns.CampaignTransitionView.as_view(),
        name="campaign_transition",
    ),
    path(
        "campaigns/<int:pk>/export.csv",
        campaigns.CampaignExportView.as_view(),
        name="campaign_export",
    ),
    path(
        "campaigns/members/<int:pk>/remove/",
        campaigns.CampaignMemberRemoveView.as_view(),
        name="campaign_member_remove",
    ),
    path(
        "campaigns/members/<int:pk>/outcome/",
        campaigns.CampaignMemberOutcomeView.as_view(),
        name="campaign_member_outcome",
    ),
    path("handoffs/", handoffs.AcHandoffListView.as_view(), name="handoff_list"),
    path("handoffs/<int:pk>/", handoffs.AcHandoffDetailView.as_view(), name="handoff"),
    path("handoffs/<int:pk>/accept/", handoffs.HandoffAcceptView.as_view(), name="handoff_accept"),
    path("handoffs/<int:pk>/reject/", handoffs.HandoffRejectView.as_view(), name="handoff_reject"),
    path("handoffs/<int:pk>/close/", handoffs.HandoffCloseView.as_view(), name="handoff_close"),
    path(
        "handoffs/<int:pk>/reassign/",
        handoffs.HandoffReassignView.as_view(),
        name="handoff_reassign",
    ),
    path(
        "handoffs/bulk-assign/",
        handoffs.HandoffBulkAssignView.as_view(),
        name="handoff_bulk_assign",
    ),
    path("bookings/", handoffs.BookingEventListView.as_view(), name="booking_list"),
    path("bookings/add/", handoffs.BookingEventCreateView.as_view(), name="booking_add"),
    path("messages/add/", handoffs.MessageLogCreateView.as_view(), name="message_add"),
]
