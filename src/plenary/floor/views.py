from django.http import Http404, HttpRequest, HttpResponse


def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    raise Http404  # placeholder until the live session pages exist
