"""Printed editions that are not one page's channel, under /publications/."""

from django.urls import path

from publications import views

urlpatterns = [
    path(
        "departments/<str:code>/guide-book.pdf",
        views.department_guide_book,
        name="department_guide_book",
    ),
]
