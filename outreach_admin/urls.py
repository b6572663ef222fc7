from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from outreach_admin import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("views/", views.SavedViewListView.as_view(), name="saved_view_list"),
    path("views/save/", views.SavedViewCreateView.as_view(), name="saved_view_create"),
    path("views/<int:pk>/delete/", views.SavedViewDeleteView.as_view(), name="saved_view_delete"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("companies/", include("companies.urls")),
    path("people/", include("people.urls")),
    path("marketing/", include("marketing.urls")),
    path("intake/", include("intake.urls")),
    path("signals/", include("signals.urls")),
    path("admin/", admin.site.urls),
]
