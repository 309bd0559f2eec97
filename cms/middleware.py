"""Request hygiene that protects every view at once."""

from django.core.exceptions import SuspiciousOperation
from django.views.defaults import bad_request


class RejectNulBytesMiddleware:
    """Answer 400 to a path, query string or form field containing a NUL character.

    PostgreSQL refuses NUL in text ("A string literal cannot contain NUL characters"), so such
    input would otherwise surface as a 500 in whichever view first filters on it. The answer is
    the site's own 400 page (templates/400.html).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in query or "%00" in query:
            return self.refuse(request)
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            if any("\x00" in value for values in request.POST.lists() for value in values[1]):
                return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        return bad_request(request, SuspiciousOperation("请求中含有非法字符（NUL）。"))
