"""The planning index (the teams a person can see, with their three tools) and the power map: the
page (grid, quadrant guidance, list view), the issue, actors (add, edit, place, delete, add our own
organizations), relationships (add, edit, delete) and the exports (CSV, SVG; PNG is drawn in the
browser from the SVG)."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from healthywork.collaborative.models import Team
from healthywork.planning import powermap
from healthywork.planning.access import team_for
from healthywork.planning.concurrency import EditConflict
from healthywork.planning.forms_powermap import ActorForm, ConfirmForm, IssueForm, LinkForm, PlaceForm
from healthywork.planning.models import Actor, PowerMap


def planning_index(request: HttpRequest) -> HttpResponse:
    teams = (
        Team.objects.visible_to(request.user)
        .select_related("cohort")
        .annotate(actor_count=Count("powermap__actors", distinct=True))
        .order_by("-cohort__start_date", "cohort__name", "name")
    )
    return render(request, "planning/powermap_index.html", {"teams": teams})


def _page_url(team: Team, anchor: str = "") -> str:
    return reverse("planning:powermap", args=[team.public_id]) + (f"#{anchor}" if anchor else "")


def _editable_map(request: HttpRequest, public_id) -> tuple[Team, PowerMap]:
    """The team (404 for a stranger, 403 for a reader) and its power map, created if needed."""
    team = team_for(request, public_id, edit=True)
    return team, powermap.ensure_power_map(team, by=request.user)


def _editable_actor(request: HttpRequest, public_id) -> tuple[Actor, Team]:
    actor = get_object_or_404(
        Actor.objects.select_related("power_map__team__cohort", "organization"),
        public_id=public_id,
        power_map__team__in=Team.objects.visible_to(request.user),
    )
    team = actor.power_map.team
    if not team.can_edit(request.user):
        raise PermissionDenied
    return actor, team


def powermap_page(request: HttpRequest, public_id) -> HttpResponse:
    team = team_for(request, public_id)
    can_edit = team.can_edit(request.user)
    power_map = powermap.map_of(team)
    if power_map is None and can_edit:
        power_map = powermap.ensure_power_map(team, by=request.user)
    context: dict[str, Any] = {"team": team, "power_map": power_map, "can_edit": can_edit}
    if power_map is not None:
        context.update(_page_data(request, power_map, team, can_edit))
    template = "planning/powermap_page.html" + ("#guidance" if getattr(request, "htmx", False) else "")
    return render(request, template, context)


def _page_data(request: HttpRequest, power_map: PowerMap, team: Team, can_edit: bool) -> dict[str, Any]:
    data = powermap.load_map_data(power_map, team)
    link_rows = data.link_rows()
    if can_edit:
        _add_addresses(data, link_rows, team)
    place_urls = {actor.public_id: actor.urls["place"] for actor in data.actors} if can_edit else {}
    version = {"version": power_map.version}
    groups = powermap.guidance(data.actors)
    return {
        "data": data,
        "svg": mark_safe(powermap.map_svg(data, place_urls)),  # noqa: S308 - every text in it is escaped
        "groups": [(quadrant, members, _guidance_items(members)) for quadrant, members in groups],
        "unreached": powermap.unreached_targets(data.actors, data.links),
        "actor_rows_html": _actor_rows(request, data, power_map.version, can_edit),
        "link_rows_html": _link_rows(link_rows, can_edit),
        "has_links": bool(link_rows),
        "actor_options_html": format_html_join(
            "", '<option value="{}">{}</option>', ((actor.public_id, actor.name) for actor in data.actors)
        )
        if can_edit
        else "",
        "issue_form": IssueForm(instance=power_map, initial=version) if can_edit else None,
        "actor_form": ActorForm(initial=version) if can_edit else None,
        "link_form": LinkForm(actors=(), links=(), initial=version) if can_edit else None,
    }


# The repeated rows are built here, escaped by format_html, with every word translated once: a
# template loop costs tens of microseconds per cell, and a map of 200 actors has thousands of cells.


def _badges(actor: powermap.ActorItem, words: dict[str, str]) -> SafeString:
    target = format_html(' <span class="badge">{}</span>', words["target"]) if actor.is_target else ""
    own = format_html(' <span class="badge">{}</span>', words["own"]) if actor.is_own else ""
    return format_html("{}{}", target, own)


def _badge_words() -> dict[str, str]:
    return {"target": _("target"), "own": _("our team")}


def _guidance_items(members: list[powermap.ActorItem]) -> SafeString:
    words = _badge_words()
    power_word, stance_word = _("power"), _("stance")
    return format_html_join(
        "",
        '<li><a href="#actor-{}">{}</a>{} <span class="hint">({} {}, {} {})</span></li>',
        (
            (
                actor.public_id,
                actor.name,
                _badges(actor, words),
                power_word,
                localize(actor.power),
                stance_word,
                f"{actor.stance:+.1f}",
            )
            for actor in members
        ),
    )


def _actor_rows(request: HttpRequest, data: powermap.MapData, version: int, can_edit: bool) -> SafeString:
    words = _badge_words()
    rows = []
    if can_edit:
        token = get_token(request)
        edit_word, delete_word, save_word = _("Edit"), _("Delete"), _("Save")
    for actor in data.actors:
        pid = actor.public_id
        notes = (
            format_html('<div class="hint">{}</div>', Truncator(actor.notes).chars(200))
            if actor.notes
            else ""
        )
        head = format_html(
            '<tr id="actor-{}" data-id="{}"><th scope="row">{}{}{}</th><td>{}</td>',
            pid,
            pid,
            actor.name,
            _badges(actor, words),
            notes,
            actor.kind_label,
        )
        tail = format_html(
            '<td class="pm-quadrant-cell">{}</td><td>{}</td>',
            actor.quadrant_title,
            actor.organization_name or "—",
        )
        if not can_edit:
            place = format_html("<td>{}</td><td>{}</td>", localize(actor.power), f"{actor.stance:+.1f}")
            rows.append(format_html("{}{}{}</tr>", head, place, tail))
            continue
        place = format_html(
            '<td><label class="visually-hidden" for="power-{}">{}</label><input type="number" '
            'id="power-{}" name="power" form="place-{}" value="{}" min="0" max="10" step="0.1" '
            'class="pm-number" required></td><td><label class="visually-hidden" for="stance-{}">{}</label>'
            '<input type="number" id="stance-{}" name="stance" form="place-{}" value="{}" min="-5" max="5" '
            'step="0.1" class="pm-number" required></td>',
            pid,
            actor.labels["power"],
            pid,
            pid,
            str(actor.power),
            pid,
            actor.labels["stance"],
            pid,
            pid,
            str(actor.stance),
        )
        actions = format_html(
            '<td class="pm-row-actions"><form method="post" id="place-{}" class="pm-place-form inline" '
            'action="{}"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="version" value="{}"><button type="submit" class="small">{}'
            '<span class="visually-hidden"> {}</span></button></form> '
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a> '
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a></td>',
            pid,
            actor.urls["place"],
            token,
            version,
            save_word,
            actor.labels["save"],
            actor.urls["edit"],
            edit_word,
            actor.name,
            actor.urls["delete"],
            delete_word,
            actor.name,
        )
        rows.append(format_html("{}{}{}{}</tr>", head, place, tail, actions))
    return SafeString("".join(rows))


def _link_rows(link_rows: list, can_edit: bool) -> SafeString:
    if not can_edit:
        return format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (source.name, link.kind_label, target.name, link.strength)
                for link, source, target in link_rows
            ),
        )
    edit_word, delete_word = _("Edit"), _("Delete")
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td><a href="{}">{}'
        '<span class="visually-hidden"> {} — {}</span></a> <a href="{}">{}'
        '<span class="visually-hidden"> {} — {}</span></a></td></tr>',
        (
            (
                source.name,
                link.kind_label,
                target.name,
                link.strength,
                link.urls["edit"],
                edit_word,
                source.name,
                target.name,
                link.urls["delete"],
                delete_word,
                source.name,
                target.name,
            )
            for link, source, target in link_rows
        ),
    )


def _add_addresses(data: powermap.MapData, link_rows: list, team: Team) -> None:
    """Each row's addresses and input labels, reversed and translated once for the whole list (a map
    of 200 actors would otherwise reverse 600 addresses in the template)."""
    zero = str(uuid.UUID(int=0))
    patterns = {key: reverse(f"planning:actor-{key}", args=[zero]) for key in ("place", "edit", "delete")}
    for actor in data.actors:
        actor.urls = {key: pattern.replace(zero, actor.public_id) for key, pattern in patterns.items()}
        actor.labels = {
            "power": _("Power of %(name)s") % {"name": actor.name},
            "stance": _("Stance of %(name)s") % {"name": actor.name},
            "save": _("the place of %(name)s") % {"name": actor.name},
        }
    edit = reverse("planning:powermap-link-edit", args=[team.public_id, 0])
    delete = reverse("planning:powermap-link-delete", args=[team.public_id, 0])
    for link, _source, _target in link_rows:
        marker = f"/links/{link.id}/"
        link.urls = {"edit": edit.replace("/links/0/", marker), "delete": delete.replace("/links/0/", marker)}


def _render_form(request: HttpRequest, form, team: Team, context: dict, conflict=None) -> HttpResponse:
    if conflict is not None:
        yours = form.display_values()
        both = [
            (label, yours.get(label, ""), conflict.theirs.get(label, ""))
            for label in [*yours, *[key for key in conflict.theirs if key not in yours]]
        ]
        form.keep_version(conflict.current_version)
        context.update(conflict=conflict, both=both)
    context.update(form=form, team=team, cancel_url=context.get("cancel_url") or _page_url(team))
    status = 409 if conflict else (400 if form.errors else 200)
    return render(request, "planning/powermap_form.html", context, status=status)


def issue_edit(request: HttpRequest, public_id) -> HttpResponse:
    team, power_map = _editable_map(request, public_id)
    form = IssueForm(
        request.POST or None, instance=PowerMap(issue=power_map.issue), initial={"version": power_map.version}
    )
    context = {"title": _("The issue or decision to change")}
    if request.method == "POST" and form.is_valid():
        try:
            powermap.update_issue(
                power_map, form.cleaned_data["issue"], version=form.cleaned_data["version"], by=request.user
            )
        except EditConflict as conflict:
            return _render_form(request, form, team, context, conflict)
        messages.success(request, _("The issue is saved."))
        return redirect(_page_url(team))
    return _render_form(request, form, team, context)


def actor_create(request: HttpRequest, public_id) -> HttpResponse:
    team, power_map = _editable_map(request, public_id)
    form = ActorForm(request.POST or None, initial={"version": power_map.version})
    context = {"title": _("Add an actor"), "has_organizations": True}
    if request.method == "POST" and form.is_valid():
        try:
            actor = powermap.save_actor(
                power_map, None, form.cleaned_data, version=form.cleaned_data["version"], by=request.user
            )
        except EditConflict as conflict:
            return _render_form(request, form, team, context, conflict)
        messages.success(request, _("%(name)s is on the map.") % {"name": actor.name})
        return redirect(_page_url(team, f"actor-{actor.public_id}"))
    return _render_form(request, form, team, context)


def actor_edit(request: HttpRequest, public_id) -> HttpResponse:
    actor, team = _editable_actor(request, public_id)
    form = ActorForm(request.POST or None, instance=actor, initial={"version": actor.power_map.version})
    context = {"title": _("Edit the actor"), "has_organizations": True}
    if request.method == "POST" and form.is_valid():
        try:
            powermap.save_actor(
                actor.power_map,
                actor,
                form.cleaned_data,
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except EditConflict as conflict:
            return _render_form(request, form, team, context, conflict)
        messages.success(request, _("%(name)s is saved.") % {"name": actor.name})
        return redirect(_page_url(team, f"actor-{actor.public_id}"))
    return _render_form(request, form, team, context)


def actor_place(request: HttpRequest, public_id) -> HttpResponse:
    """A new power and stance for one actor: from a drag (answers JSON) or the list (redirects)."""
    actor, team = _editable_actor(request, public_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = PlaceForm(
        request.POST or None,
        initial={"version": actor.power_map.version, "power": actor.power, "stance": actor.stance},
    )
    context = {"title": _("Place %(name)s on the grid") % {"name": actor.name}}
    if request.method != "POST" or not form.is_valid():
        if wants_json and form.errors:
            errors = {name: " ".join(error_list) for name, error_list in form.errors.items()}
            return JsonResponse({"errors": errors, "error": " ".join(errors.values())}, status=400)
        return _render_form(request, form, team, context)
    data = form.cleaned_data
    try:
        powermap.place_actor(actor, data["power"], data["stance"], version=data["version"], by=request.user)
    except EditConflict as conflict:
        if wants_json:
            return JsonResponse({"error": conflict.message, "version": conflict.current_version}, status=409)
        return _render_form(request, form, team, context, conflict)
    text = _("%(name)s is placed at power %(power)s, stance %(stance)s.") % {
        "name": actor.name,
        "power": actor.power,
        "stance": f"{actor.stance:+}",
    }
    if wants_json:
        quadrant = powermap.QUADRANTS[powermap.quadrant_of(actor.power, actor.stance)]
        return JsonResponse(
            {
                "message": text,
                "version": actor.power_map.version,
                "power": str(actor.power),
                "stance": str(actor.stance),
                "quadrant": str(quadrant.title),
            }
        )
    messages.success(request, text)
    return redirect(_page_url(team, f"actor-{actor.public_id}"))


def actor_delete(request: HttpRequest, public_id) -> HttpResponse:
    actor, team = _editable_actor(request, public_id)
    form = ConfirmForm(request.POST or None, initial={"version": actor.power_map.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            powermap.delete_actor(actor, version=form.cleaned_data["version"], by=request.user)
        except EditConflict as error:
            conflict, form = error, ConfirmForm(initial={"version": error.current_version})
        else:
            messages.success(
                request, _("%(name)s and their relationships are deleted.") % {"name": actor.name}
            )
            return redirect(_page_url(team))
    context = {"item": actor, "team": team, "form": form, "conflict": conflict, "is_actor": True}
    return render(request, "planning/powermap_confirm_delete.html", context, status=409 if conflict else 200)


def own_add(request: HttpRequest, public_id) -> HttpResponse:
    """Put the team's own organizations on the map (POST only; the page has the button)."""
    team, power_map = _editable_map(request, public_id)
    if request.method != "POST":
        return redirect(_page_url(team, "own-organizations"))
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        added = powermap.add_own_organizations(
            power_map, version=form.cleaned_data.get("version"), by=request.user
        )
    except EditConflict as conflict:
        messages.error(request, conflict.message + " " + _("The map below is the saved version."))
        return redirect(_page_url(team, "own-organizations"))
    if added:
        messages.success(
            request,
            _("Added %(names)s at power 5 and stance +5: move them to where they stand.")
            % {"names": ", ".join(actor.name for actor in added)},
        )
    else:
        messages.info(request, _("Every organization of the team is already on the map."))
    return redirect(_page_url(team, "own-organizations"))


def _link_form(
    request: HttpRequest, power_map: PowerMap, team: Team, link=None
) -> tuple[LinkForm, powermap.MapData]:
    data = powermap.load_map_data(power_map, team)
    initial = {"version": power_map.version}
    if link is not None:
        initial.update(LinkForm.initial_for(link, data.actor_by_id))
    form = LinkForm(
        request.POST or None,
        actors=data.actors,
        links=data.links,
        link_id=getattr(link, "pk", None),
        initial=initial,
    )
    return form, data


def link_create(request: HttpRequest, public_id) -> HttpResponse:
    team, power_map = _editable_map(request, public_id)
    form, _data = _link_form(request, power_map, team)
    context = {"title": _("Add a relationship")}
    if request.method == "POST" and form.is_valid():
        try:
            powermap.save_link(
                power_map, None, form.link_values(), version=form.cleaned_data["version"], by=request.user
            )
        except EditConflict as conflict:
            return _render_form(request, form, team, context, conflict)
        messages.success(request, _("The relationship is added."))
        return redirect(_page_url(team, "relationships"))
    return _render_form(request, form, team, context)


def link_edit(request: HttpRequest, public_id, link_id: int) -> HttpResponse:
    team, power_map = _editable_map(request, public_id)
    link = get_object_or_404(power_map.links.all(), pk=link_id)
    form, _data = _link_form(request, power_map, team, link)
    context = {"title": _("Edit the relationship")}
    if request.method == "POST" and form.is_valid():
        try:
            powermap.save_link(
                power_map, link, form.link_values(), version=form.cleaned_data["version"], by=request.user
            )
        except EditConflict as conflict:
            return _render_form(request, form, team, context, conflict)
        messages.success(request, _("The relationship is saved."))
        return redirect(_page_url(team, "relationships"))
    return _render_form(request, form, team, context)


def link_delete(request: HttpRequest, public_id, link_id: int) -> HttpResponse:
    team, power_map = _editable_map(request, public_id)
    link = get_object_or_404(power_map.links.select_related("source", "target"), pk=link_id)
    form = ConfirmForm(request.POST or None, initial={"version": power_map.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            powermap.delete_link(link, version=form.cleaned_data["version"], by=request.user)
        except EditConflict as error:
            conflict, form = error, ConfirmForm(initial={"version": error.current_version})
        else:
            messages.success(request, _("The relationship is deleted."))
            return redirect(_page_url(team, "relationships"))
    context = {"item": link, "team": team, "form": form, "conflict": conflict, "is_actor": False}
    return render(request, "planning/powermap_confirm_delete.html", context, status=409 if conflict else 200)


def powermap_export(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    team = team_for(request, public_id)
    power_map = powermap.map_of(team)
    if power_map is None or fmt not in powermap.EXPORT_FORMATS:
        raise Http404
    data = powermap.load_map_data(power_map, team)
    what = "links" if request.GET.get("what") == "links" else "actors"
    if fmt == "svg":
        response = HttpResponse(powermap.map_svg(data).encode("utf-8"), content_type="image/svg+xml")
    else:
        response = HttpResponse(powermap.export_csv(data, what), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{powermap.export_filename(data, fmt, what)}"'
    return response
