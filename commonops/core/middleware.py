from commonops.core import audit
from commonops.core.queries import current_country_for


class AuditRequestMiddleware:
    """Attributes every write during a request to that request (see core.audit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.bind_request(request)
        try:
            return self.get_response(request)
        finally:
            audit.unbind(token)


class CurrentCountryMiddleware:
    """`request.country`: the country team the user is working in (the country switcher).

    Chosen in the session; falls back to the person's duty country, then to the first
    country they may see. Never a country outside the user's scope.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Session-authenticated pages need it for the layout; token API calls are anonymous
        # here (DRF authenticates in the view) and skip the queries.
        request.country = current_country_for(request)
        return self.get_response(request)
