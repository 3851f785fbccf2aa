"""Attach the request origin to every audit record written while handling the request."""

from timpora.audit.context import origin, origin_from_request


class RequestOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with origin(**origin_from_request(request)):
            return self.get_response(request)
