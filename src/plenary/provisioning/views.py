from django.http import Http404, HttpRequest, HttpResponse


def request_services(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404  # placeholder until the provisioning pages exist
