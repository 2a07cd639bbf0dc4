from django.http import HttpRequest, HttpResponse


def page(request: HttpRequest, **kwargs: object) -> HttpResponse:  # placeholder: being built
    return HttpResponse("map")
