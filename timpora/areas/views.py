"""Area list and detail pages with an offline map."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from timpora.accounts.access import permission_required, scope_of
from timpora.areas import queries


@permission_required("area.view")
def area_list(request):
    parent = request.GET.get("parent") or None
    areas = queries.children_for(request.user, parent)
    parent_area = queries.area_for(request.user, parent) if parent else None
    return render(request, "areas/area_list.html", {"areas": areas, "parent": parent_area})


@permission_required("area.view")
def area_detail(request, code: str):
    area = queries.area_for(request.user, code)
    return render(
        request,
        "areas/area_detail.html",
        {
            "area": area,
            "ancestors": queries.ancestors(area),
            "children": queries.children_for(request.user, area.code),
            "in_scope": scope_of(request.user).contains(area.code),
        },
    )


@permission_required("area.view")
def area_geojson(request, code: str):
    area = queries.area_for(request.user, code)
    return JsonResponse(queries.feature_collection(request.user, area))
