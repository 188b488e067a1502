"""Public URLs of the archive (filled in by the browse issue)."""

from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("articles/<int:pk>/<slug:slug>/", views.article_detail, name="detail"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("places/<slug:slug>/", views.place_detail, name="place"),
    path("sections/<path:path>/", views.section_detail, name="section"),
]
