"""The interactive network map of a wave (Cytoscape.js) and the JSON it draws."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from healthywork.core.permissions import get_visible_or_404
from healthywork.network import mapdata
from healthywork.network.forms_map import MapFilterForm
from healthywork.network.models import Wave


def _bind(request: HttpRequest, wave: Wave) -> MapFilterForm:
    data = request.GET.copy()
    data.setdefault("wave", str(wave.public_id))
    return MapFilterForm(data, user=request.user)


def _elsewhere(form: MapFilterForm, wave: Wave) -> str | None:
    """The address of another wave's map, with the same filters, when the form chose one."""
    chosen = form.cleaned_data.get("wave")
    if chosen is None or chosen.pk == wave.pk:
        return None
    query = QueryDict(mutable=True)
    query.update(form.data)
    query.pop("wave", None)
    address = reverse("network:map", args=[chosen.public_id])
    return f"{address}?{query.urlencode()}" if query else address


def _wave_json(wave: Wave) -> dict:
    return {"wave": {"id": str(wave.public_id), "name": wave.name}}


def network_map(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    form = _bind(request, wave)
    context = {"wave": wave, "form": form, "data": None}
    if not form.is_valid():
        return render(request, "network/map_page.html", context, status=400)
    if other := _elsewhere(form, wave):
        return redirect(other)
    network_filter, min_level, size = (
        form.network_filter(wave),
        form.cleaned_data["min_level"],
        form.size_metric(),
    )
    stamp = mapdata.data_stamp(wave)
    network = mapdata.map_network(network_filter, min_level=min_level)
    data = mapdata.map_data(
        network, size, key=mapdata.request_key(wave, network_filter, min_level, stamp=stamp)
    )
    # The script asks for the same data next: keep the bytes it will get.
    json_key = mapdata.request_key(wave, network_filter, min_level, size, stamp=stamp)
    mapdata.store_map_json(json_key, data, _wave_json(wave))
    query = request.GET.copy()
    query.pop("wave", None)
    context |= {
        "data": data,
        "size_metric": size,
        "table": mapdata.table_view(network, data, size),
        "data_url": reverse("network:map-data", args=[wave.public_id])
        + (f"?{query.urlencode()}" if query else ""),
    }
    return render(request, "network/map_page.html", context)


def map_data(request: HttpRequest, public_id) -> HttpResponse:
    """The compact JSON of `mapdata.map_data` (?size= picks the metric computed beyond degree);
    cached bytes with an ETag, so a repeated request answers 304."""
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    form = _bind(request, wave)
    if not form.is_valid():
        return JsonResponse({"errors": form.error_list()}, status=400)
    content, etag = mapdata.cached_map_json(
        form.network_filter(wave),
        min_level=form.cleaned_data["min_level"],
        size_metric=form.size_metric(),
        extra=_wave_json(wave),
    )
    asked = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in asked or "*" in asked:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type="application/json")
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response
