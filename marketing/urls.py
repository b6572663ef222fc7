from django.urls import path

from marketing import views

app_name = "marketing"

urlpatterns = [
    path("renewals/", views.RenewalListView.as_view(), name="renewal_list"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/build/", views.CampaignBuildView.as_view(), name="campaign_build"),
    path("campaigns/create/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path(
        "campaigns/bulk-status/",
        views.CampaignBulkTransitionView.as_view(),
        name="campaign_bulk_transition",
    ),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path(
        "campaigns/<int:pk>/transition/",
        views.CampaignTransitionView.as_view(),
        name="campaign_transition",
    ),
    path(
        "campaigns/<int:pk>/export.csv", views.CampaignExportView.as_view(), name="campaign_export"
    ),
    path(
        "campaigns/members/<int:pk>/remove/",
        views.CampaignMemberRemoveView.as_view(),
        name="campaign_member_remove",
    ),
    path(
        "campaigns/members/<int:pk>/outcome/",
        views.CampaignMemberOutcomeView.as_view(),
        name="campaign_member_outcome",
    ),
]

from marketing import handoff_urls  # noqa: E402

urlpatterns += handoff_urls.urlpatterns
