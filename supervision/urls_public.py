"""The public ranking notice's addresses (supervision.notice_views), mounted by config/urls.py
at /pingbi/ and /kiosk/pingbi/ (评比 in pinyin: short, and what a citizen would type)."""

from django.urls import path, re_path

from supervision import notice_views

MONTH = r"(?P<month>\d{4}-\d{2})"

urlpatterns = [
    path("", notice_views.latest_notice, name="ranking_notice"),
    re_path(rf"^{MONTH}/$", notice_views.month_notice, name="ranking_notice_month"),
    re_path(rf"^{MONTH}/pdf/$", notice_views.month_pdf, name="ranking_notice_pdf"),
]

kiosk_urlpatterns = [
    path("", notice_views.latest_kiosk, name="ranking_notice_kiosk"),
    re_path(rf"^{MONTH}/$", notice_views.month_kiosk, name="ranking_notice_kiosk_month"),
]
