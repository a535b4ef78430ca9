"""The interactive network map of a wave (Cytoscape.js) and the JSON it draws."""

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

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


def network_map(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    form = _bind(request, wave)
    context = {"wave": wave, "form": form, "data": None}
    if not form.is_valid():
        return render(request, "network/map_page.html", context, status=400)
    if other := _elsewhere(form, wave):
        return redirect(other)
    network = mapdata.map_network(form.network_filter(wave), min_level=form.cleaned_data["min_level"])
    data = mapdata.map_data(network)
    query = request.GET.copy()
    query.pop("wave", None)
    context |= {
        "data": data,
        "size_metric": form.size_metric(),
        "table": mapdata.table_view(data, form.size_metric()),
        "data_url": reverse("network:map-data", args=[wave.public_id])
        + (f"?{query.urlencode()}" if query else ""),
    }
    return render(request, "network/map_page.html", context)


def map_data(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    form = _bind(request, wave)
    if not form.is_valid():
        return JsonResponse({"errors": form.error_list()}, status=400)
    network = mapdata.map_network(form.network_filter(wave), min_level=form.cleaned_data["min_level"])
    content = mapdata.map_json(network, {"wave": {"id": str(wave.public_id), "name": wave.name}})
    return HttpResponse(content, content_type="application/json")
