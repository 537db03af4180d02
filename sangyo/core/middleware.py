"""Japanese first: the interface is Japanese unless the visitor chose English with the
switcher (the language cookie). The browser's Accept-Language is deliberately ignored, so a
city's page looks the same on every office PC and kiosk, and English is one click away."""

from django.conf import settings
from django.utils import translation


class JapaneseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # Do not let one request's language leak into whatever this thread does next.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response
