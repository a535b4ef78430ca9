"""The network's home and its waves: list, detail (what each wave holds), create and edit."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from healthywork.core.history import render_history
from healthywork.core.permissions import ability_required, get_visible_or_404
from healthywork.network import waves
from healthywork.network.forms_waves import WaveForm
from healthywork.network.models import Wave


def _wave_summaries(request: HttpRequest) -> list[tuple[Wave, waves.WaveCounts]]:
    return [(wave, waves.wave_counts(wave)) for wave in Wave.objects.visible_to(request.user)]


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "network/waves_index.html", {"summaries": _wave_summaries(request)})


def wave_list(request: HttpRequest) -> HttpResponse:
    return render(request, "network/waves_list.html", {"summaries": _wave_summaries(request)})


def wave_detail(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    return render(request, "network/waves_detail.html", {"wave": wave, "counts": waves.wave_counts(wave)})


def wave_history(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    return render_history(request, wave, "network/waves_history.html", {"wave": wave})


@ability_required("network.manage")
def wave_create(request: HttpRequest) -> HttpResponse:
    form = WaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wave = waves.create_wave(form.cleaned_data, by=request.user)
        messages.success(request, _("The wave %(name)s is added.") % {"name": wave.name})
        return redirect(wave)
    return render(request, "network/waves_form.html", {"form": form}, status=400 if form.errors else 200)


@ability_required("network.manage")
def wave_edit(request: HttpRequest, public_id) -> HttpResponse:
    wave = get_visible_or_404(Wave, request.user, public_id=public_id)
    form = WaveForm(request.POST or None, instance=wave)
    if request.method == "POST" and form.is_valid():
        waves.update_wave(Wave.objects.get(pk=wave.pk), form.cleaned_data, by=request.user)
        messages.success(request, _("The wave %(name)s is saved.") % {"name": form.cleaned_data["name"]})
        return redirect(wave)
    context = {"form": form, "wave": Wave.objects.get(pk=wave.pk)}
    return render(request, "network/waves_form.html", context, status=400 if form.errors else 200)
