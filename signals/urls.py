from django.urls import path

from signals import views

app_name = "signals"

urlpatterns = [
    path("", views.SignalListView.as_view(), name="signal_list"),
    path("process/", views.SignalProcessView.as_view(), name="signal_process"),
]
