"""Home (the user's starting page) and About (licence and data attribution)."""

from django.shortcuts import render

from timpora.accounts.access import permission_required, scope_of
from timpora.areas.models import Area
from timpora.core.context_processors import DATA_ATTRIBUTION


@permission_required()
def home(request):
    scope = scope_of(request.user)
    roots = Area.objects.filter(code__in=scope.prefixes)
    return render(request, "core/home.html", {"scope_roots": roots})


def about(request):
    return render(request, "core/about.html", {"data_attribution": DATA_ATTRIBUTION})
