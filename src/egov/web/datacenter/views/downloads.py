from django.http import HttpRequest, HttpResponse


def page(request: HttpRequest) -> HttpResponse:  # placeholder: being built
    return HttpResponse("downloads")
