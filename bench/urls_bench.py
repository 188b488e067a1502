"""The site's URLs plus ``/hello/``: the smallest Django view, served by the same server,
settings and middleware as the real pages. Its latency is the floor the pages are compared
with. Used only by ``bench.settings_bench``."""

from django.http import HttpResponse
from django.urls import path

from newsarchive.urls import urlpatterns as site_urlpatterns


def hello(request):
    """A constant response: no database, no template."""
    return HttpResponse("Hello, world.\n", content_type="text/plain")


urlpatterns = [path("hello/", hello, name="bench-hello"), *site_urlpatterns]
