"""The main journey in a real browser: sign in, create an organization, find it by search."""

import re

import pytest
from playwright.sync_api import expect

from healthywork.accounts.models import User
from healthywork.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_facilitator_signs_in_creates_an_organization_and_finds_it(live_server, page):
    user = User(username="fran", role=Role.FACILITATOR)
    user.set_password("a long browser password")
    user.save()

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill("fran")
    page.get_by_label("Password").fill("a long browser password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="The program cycle").is_visible()

    page.get_by_role("navigation", name="Program cycle").get_by_role("link", name="Partners").click()
    page.get_by_role("link", name="Add an organization").click()
    page.get_by_label(re.compile(r"^Name")).fill("Trabajadores del Lago Worker Center")
    page.get_by_label(re.compile(r"^Sector")).select_option(label="Labor")
    page.get_by_label(re.compile(r"^Level")).select_option("local")
    page.get_by_label(re.compile(r"^City")).fill("Chicago")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Trabajadores del Lago Worker Center").is_visible()

    page.goto(f"{live_server.url}/partners/organizations/")
    page.get_by_role("searchbox", name=re.compile(r"^Search")).fill("lago trab")
    page.get_by_role("button", name="Search").click()
    # htmx swaps the results in and pushes the search into the address bar.
    expect(page).to_have_url(re.compile(r"q=lago"))
    results = page.locator("#results")
    expect(results.get_by_role("heading")).to_have_text(re.compile(r"^1 organization"))
    expect(results.get_by_role("link", name="Trabajadores del Lago Worker Center")).to_be_visible()
