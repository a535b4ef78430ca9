"""Shared pytest set-up: browser tests skip themselves where no Chromium is installed."""

import os
import shutil

import pytest

CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]


def chromium_path() -> str | None:
    explicit = os.environ.get("HEALTHYWORK_CHROMIUM")
    if explicit:
        return explicit
    for candidate in CHROMIUM_CANDIDATES:
        if shutil.which(candidate):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    if chromium_path() or os.environ.get("HEALTHYWORK_REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(reason="no Chromium installed (apt-get install -y chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    # Playwright's own browser download does not work everywhere; Debian's Chromium does.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in the default language: a request in Spanish must not leak into the next."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


SEED_MIGRATIONS = (
    "healthywork.partners.migrations.0003_seed_sectors_and_populations",
    "healthywork.catalog.migrations.0003_seed_taxonomies",
    "healthywork.evaluation.migrations.0002_shipped_instruments",
)


@pytest.fixture(autouse=True)
def seeded_rows(request):
    """Browser tests run on a transactional database, which other transactional tests leave
    flushed, without the rows the data migrations seed (sectors, populations, action types,
    conditions); put them back before each (the seeds are idempotent)."""
    if "browser" in request.keywords:
        from importlib import import_module

        from django.apps import apps

        request.getfixturevalue("transactional_db")
        for module in SEED_MIGRATIONS:
            import_module(module).seed(apps, None)
    yield
