"""Language: Bahasa Indonesia unless the user chose English with the switch.

Django's LocaleMiddleware follows the browser's Accept-Language header, so an office PC
with an English browser would open in English. The team's working language is Indonesian:
only the explicit choice (the language cookie set by the switch) changes it.
"""

from django.conf import settings
from django.utils import translation


class DefaultLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
