"""The power map in a real browser: drag an actor and its new power and stance are saved; type a
place in the list and the marker moves; the PNG is drawn from the SVG."""

from decimal import Decimal

import pytest
from django.db.models import F
from playwright.sync_api import expect

from healthywork.accounts.models import User
from healthywork.accounts.roles import Role
from healthywork.collaborative.tests import factories as collaborative_factories
from healthywork.planning import powermap
from healthywork.planning.models import Actor, PowerMap
from healthywork.planning.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_member_drags_an_actor_and_types_another_place(live_server, page):
    user = User(username="mo", role=Role.TEAM_MEMBER)
    user.set_password("a long browser password")
    user.save()
    cohort = collaborative_factories.cohort("Browser cohort")
    team = collaborative_factories.health_labor_team(cohort, "Fair Schedules Team")
    collaborative_factories.add_user(team, user)
    power_map = factories.power_map(team)
    council = factories.actor(
        power_map, "Council member Ortiz", power=2, stance=-4, kind="decision_maker", is_target=True
    )
    factories.actor(power_map, "Nurses union", power=6, stance=4)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("mo")
    page.get_by_label("Password").fill("a long browser password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/plan/teams/{team.public_id}/powermap/")

    marker = page.locator(f'g.pm-actor[data-id="{council.public_id}"]')
    expect(marker).to_have_count(1)
    page.locator("#pm-svg").scroll_into_view_if_needed()
    svg_box = page.locator("#pm-svg").bounding_box()  # in the viewport's pixels
    scale = svg_box["width"] / powermap.WIDTH
    page.mouse.move(svg_box["x"] + powermap.x_of(-4) * scale, svg_box["y"] + powermap.y_of(2) * scale)
    page.mouse.down()
    # Drop it at power 8, stance +3 (in page pixels: the SVG is scaled to the column).
    target_x = svg_box["x"] + powermap.x_of(3) * scale
    target_y = svg_box["y"] + powermap.y_of(8) * scale
    page.mouse.move(target_x, target_y, steps=8)
    page.mouse.up()

    status = page.locator("#pm-status")
    expect(status).to_contain_text("Council member Ortiz is placed at power")
    council.refresh_from_db()
    assert abs(float(council.power) - 8) <= 0.3
    assert abs(float(council.stance) - 3) <= 0.3
    assert PowerMap.objects.get(pk=power_map.pk).version == 2
    expect(page.locator(f"#power-{council.public_id}")).to_have_value(str(council.power))
    expect(page.locator(f"#actor-{council.public_id} .pm-quadrant-cell")).to_have_text(
        "High-power supporters"
    )
    expect(page.locator("#pm-guidance")).to_contain_text("High-power supporters")

    # The keyboard path: type a place in the list; the marker moves without a reload.
    page.get_by_label("Power of Council member Ortiz").fill("1.5")
    page.get_by_label("Stance of Council member Ortiz").fill("-2")
    page.get_by_role("button", name="Save the place of Council member Ortiz").click()
    expect(status).to_contain_text("power 1.5, stance -2.0")
    expect(marker).to_have_attribute(
        "transform", f"translate({powermap.x_of(-2):.1f} {powermap.y_of(1.5):.1f})"
    )
    stored = Actor.objects.get(pk=council.pk)
    assert (float(stored.power), float(stored.stance)) == (1.5, -2.0)

    # Someone else saves meanwhile: the next save is refused, said so, and the marker goes back.
    PowerMap.objects.filter(pk=power_map.pk).update(version=F("version") + 1)
    page.get_by_label("Power of Council member Ortiz").fill("9")
    page.get_by_role("button", name="Save the place of Council member Ortiz").click()
    expect(status).to_contain_text("saved a newer version")
    expect(status).to_contain_text("Reload the page to see the saved map.")
    expect(marker).to_have_attribute(
        "transform", f"translate({powermap.x_of(-2):.1f} {powermap.y_of(1.5):.1f})"
    )
    assert Actor.objects.get(pk=council.pk).power == Decimal("1.5")

    with page.expect_download() as png:
        page.get_by_role("button", name="Download the grid (PNG)").click()
    assert png.value.suggested_filename == "fair-schedules-team-power-map.png"
