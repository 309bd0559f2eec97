"""Which files the public may fetch, and how the others are handed out.

Two roots, so that privacy does not hang on a deny list:
- `MEDIA_ROOT` (`/media/`) is public, but only its image folders are ever served from it
  (`PUBLIC_MEDIA_FOLDERS`). Documents sit there too, as Wagtail stores them, and are served
  only through Wagtail's `/documents/` view, which checks their collection's privacy.
- `PRIVATE_ROOT` (default `VAR_DIR/private`, outside `MEDIA_ROOT`) holds what is never for the
  public: supervision bulletins and inspectors' photos of findings. A view checks permission
  and then answers with `private_file_response`, which streams the file or, behind nginx or
  Apache, hands the transfer to the front server (`PRIVATE_FILES_SERVE`, docs/security.md).
"""

import os
import posixpath
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse

# Wagtail's original uploads and its renditions: the pictures of published pages. Everything
# else under MEDIA_ROOT is refused by the media view and by the PDF engine's file fetcher.
PUBLIC_MEDIA_FOLDERS = ("original_images", "images")


def public_media_path(url_path):
    """The path relative to MEDIA_ROOT of a public media file, or None.

    The path is normalised first, the way django.views.static.serve would, so "./documents/x"
    or "images/../bulletins/x" find nothing.
    """
    relative = posixpath.normpath(url_path).lstrip("/")
    folder = relative.split("/")[0]
    return relative if folder in PUBLIC_MEDIA_FOLDERS and relative != folder else None


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_ROOT, which have no public address.

    With `url_name`, a file's URL is that view's (given the file's name), a view that checks
    permission before it answers with `private_file_response`; without, asking for a URL is an
    error, so nothing can link a private file by mistake. The location is read from the setting
    on every access (not frozen at first use) so tests and management commands that change
    PRIVATE_ROOT write where they expect.
    """

    def __init__(self, url_name=None, **kwargs):
        self.url_name = url_name
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        if self.url_name is None:
            raise ValueError("私有文件没有公开地址：请通过检查权限的视图提供。")
        return reverse(self.url_name, kwargs={"name": name})


def private_storage():
    """The storage of private FileFields (a callable, so migrations name it, not a path)."""
    return storages["private"]


def finding_photo_storage():
    """Inspectors' photos of findings: private, each linked through a view for managers."""
    return storages["finding_photos"]


def private_file_response(field_file, filename, content_type):
    """The answer for a private file the caller has already allowed the user to see.

    PRIVATE_FILES_SERVE picks who sends the bytes:
    - "django" (default): the app streams the file;
    - "x-accel-redirect": nginx, from an `internal` location at PRIVATE_FILES_URL that aliases
      PRIVATE_ROOT (https://nginx.org/en/docs/http/ngx_http_core_module.html#internal);
    - "x-sendfile": Apache's mod_xsendfile or lighttpd, from the absolute path.
    """
    path = Path(field_file.path)
    if not path.is_file():
        raise Http404("文件不存在。")
    mode = settings.PRIVATE_FILES_SERVE
    if mode == "django":
        response = FileResponse(path.open("rb"), content_type=content_type, filename=filename)
    else:
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
        if mode == "x-accel-redirect":
            response["X-Accel-Redirect"] = settings.PRIVATE_FILES_URL + quote(field_file.name)
        else:
            response["X-Sendfile"] = str(path)
    # Confidential: no shared cache may keep a copy, and the browser may not sniff a type.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
