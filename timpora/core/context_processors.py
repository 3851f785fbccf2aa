"""Values every page needs: the office name, map settings and what the user may open."""

from django.conf import settings

from timpora.accounts.access import ROLE_PERMISSIONS

DATA_ATTRIBUTION = (
    "Data: cahyadsn/wilayah and cahyadsn/wilayah_boundaries, © Cahya DSN, MIT License"
)


def timpora(request):
    user = getattr(request, "user", None)
    perms = (
        ROLE_PERMISSIONS.get(getattr(user, "role", ""), frozenset())
        if user is not None and user.is_authenticated
        else frozenset()
    )
    return {
        "office_name": settings.TIMPORA_OFFICE_NAME,
        "tile_url": settings.TIMPORA_TILE_URL,
        "tile_attribution": settings.TIMPORA_TILE_ATTRIBUTION,
        "data_attribution": DATA_ATTRIBUTION,
        "perms_of_user": perms,
    }
