from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from outreach_admin import views
from outreach_admin.forms import AdminLoginForm, LoginForm

admin.site.login_form = AdminLoginForm

# Apps are included by dotted path: the base layer imports no app.
urlpatterns = [
    path("", include("overview.urls")),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
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
