from django.urls import path

from overview import views

# No app_name: these URL names (home, search, saved_view_*) predate the app and stay global.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/suggest/", views.SearchSuggestView.as_view(), name="search_suggest"),
    path("views/", views.SavedViewListView.as_view(), name="saved_view_list"),
    path("views/save/", views.SavedViewCreateView.as_view(), name="saved_view_create"),
    path("views/<int:pk>/delete/", views.SavedViewDeleteView.as_view(), name="saved_view_delete"),
]
