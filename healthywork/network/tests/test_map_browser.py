"""The network map in a real browser: the nodes are drawn, found by name, shown in the panel,
saved as PNG and SVG, listed in the table view, and reached from the keyboard."""

import pytest
from playwright.sync_api import expect

from healthywork.accounts.models import User
from healthywork.accounts.roles import Role
from healthywork.network.tests import factories
from healthywork.partners.tests import factories as partner_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_map(live_server, page):
    """Three organizations (the union has degree 2), signed in as a viewer, on the wave's map."""
    user = User(username="vic", role=Role.VIEWER)
    user.set_password("a long browser password")
    user.save()
    wave = factories.wave("Baseline 2017")
    clinic = partner_factories.organization("Riverside Clinic", "public-health")
    union = partner_factories.organization("Warehouse Workers United", "labor")
    legal = partner_factories.organization("Justice Legal Aid", "legal")
    factories.tie(wave, clinic, union, "information", level=3)
    factories.tie(wave, union, legal, "referrals", level=1, is_directed=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("vic")
    page.get_by_label("Password").fill("a long browser password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/network/waves/{wave.public_id}/map/")
    canvas = page.locator("#map-canvas")
    expect(canvas).to_have_attribute("data-ready", "true")
    return wave, clinic


def test_a_viewer_sees_the_map_finds_an_organization_and_saves_the_picture(live_server, page):
    wave, clinic = open_map(live_server, page)
    canvas = page.locator("#map-canvas")
    expect(canvas).to_have_attribute("role", "application")
    assert page.evaluate("window.healthyworkMap.cy.nodes().length") == 3
    assert page.evaluate("window.healthyworkMap.cy.edges().length") == 2
    # Drawn at the server's positions, and the canvas really holds pixels.
    assert page.evaluate("window.healthyworkMap.cy.nodes().every(n => n.renderedPosition().x > 0)")
    assert page.locator("#map-canvas canvas").count() > 0

    table = page.get_by_role("table", name="Organizations, the highest degree first")
    expect(table.get_by_role("row")).to_have_count(4)
    expect(table.get_by_role("link", name="Warehouse Workers United")).to_be_visible()
    expect(page.get_by_role("table", name="Ties").get_by_role("row")).to_have_count(3)

    page.get_by_label("Find an organization", exact=True).fill("riverside")
    page.get_by_role("button", name="Find", exact=True).click()
    panel = page.locator("#map-panel")
    expect(panel.get_by_role("heading", name="Riverside Clinic")).to_be_visible()
    expect(panel.get_by_role("link", name="Open the organization's page")).to_have_attribute(
        "href", clinic.get_absolute_url()
    )
    expect(page.locator("#map-status")).to_have_text("Found: Riverside Clinic")

    with page.expect_download() as png:
        page.get_by_role("button", name="Save as PNG").click()
    assert png.value.suggested_filename == "baseline-2017-map.png"
    with page.expect_download() as svg:
        page.get_by_role("button", name="Save as SVG").click()
    assert svg.value.suggested_filename == "baseline-2017-map.svg"
    with open(svg.value.path(), encoding="utf-8") as drawn:
        picture = drawn.read()
    assert picture.count("<polygon") == 2  # the union's square and the legal aid's hexagon
    assert picture.count("<circle") == 1  # the clinic
    assert "Warehouse Workers United" in picture
    assert 'marker-end="url(#arrow)"' in picture  # the directed referral

    page.get_by_label("Size of organizations by").select_option("betweenness")
    expect(canvas).to_have_attribute("data-size", "betweenness")


def test_the_map_is_usable_from_the_keyboard(live_server, page):
    open_map(live_server, page)
    canvas = page.locator("#map-canvas")
    status = page.locator("#map-status")
    expect(canvas).to_have_attribute("aria-describedby", "map-keys")
    expect(page.locator("#map-keys")).to_be_visible()

    # The map is the tab stop after the last toolbar button.
    page.get_by_role("button", name="Save as SVG").focus()
    page.keyboard.press("Tab")
    expect(canvas).to_be_focused()
    expect(status).to_have_text("Network map: press an arrow key to go to an organization.")

    # The order of the table: highest degree first, then by name.
    page.keyboard.press("ArrowRight")
    expect(status).to_contain_text("Warehouse Workers United (Labor), degree 2: 1 of 3.")
    page.keyboard.press("ArrowRight")
    expect(status).to_contain_text("Justice Legal Aid")
    expect(status).to_contain_text("2 of 3")
    page.keyboard.press("End")
    expect(status).to_contain_text("Riverside Clinic")
    page.keyboard.press("ArrowDown")  # wraps to the first
    expect(status).to_contain_text("Warehouse Workers United")
    page.keyboard.press("ArrowLeft")
    expect(status).to_contain_text("Riverside Clinic")

    page.keyboard.press("Enter")
    expect(status).to_have_text("Selected: Riverside Clinic")
    panel = page.locator("#map-panel")
    expect(panel.get_by_role("heading", name="Riverside Clinic")).to_be_visible()
    assert page.evaluate("window.healthyworkMap.cy.$(':selected').data('label')") == "Riverside Clinic"

    zoom = page.evaluate("window.healthyworkMap.cy.zoom()")
    page.keyboard.press("+")
    assert page.evaluate("window.healthyworkMap.cy.zoom()") > zoom
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert page.evaluate("window.healthyworkMap.cy.zoom()") < zoom
    page.keyboard.press("Escape")
    expect(status).to_have_text("No organization is selected.")
    assert page.evaluate("window.healthyworkMap.cy.$(':selected').length") == 0

    page.keyboard.press("Tab")  # no trap: Tab leaves the map
    expect(canvas).not_to_be_focused()
