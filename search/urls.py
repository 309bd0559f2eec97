from django.urls import path

from search import views

urlpatterns = [
    path("", views.search, name="search"),
    path("go/", views.go, name="search_go"),
]

api_urlpatterns = [
    path("", views.api_search, name="api_search"),
    path("suggest/", views.api_suggest, name="api_search_suggest"),
]
