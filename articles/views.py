"""Placeholder views; the browse issue replaces them."""

from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse("Not built yet", content_type="text/plain")


home = article_list = article_detail = person_detail = place_detail = section_detail = _todo
