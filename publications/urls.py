from django.urls import path

from publications import views

urlpatterns = [path("", views.kiosk_home, name="kiosk_home")]
