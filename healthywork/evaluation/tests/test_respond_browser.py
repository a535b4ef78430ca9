"""Answering the shipped knowledge survey on a phone, with no account: in Spanish, partly from the
keyboard, saved and finished later from the resume link in another browser, sent once only."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from healthywork.core.models import AuditEvent
from healthywork.evaluation.models import Answer, Instrument, Response, ResponseStatus
from healthywork.evaluation.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-US",
}


def spanish(text: str) -> str:
    """The interface string as the server renders it in Spanish (the English one while untranslated)."""
    with translation.override("es"):
        return translation.gettext(text)


def assert_fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def assert_every_question_is_a_fieldset_with_a_legend(page, items) -> None:
    assert page.locator("fieldset.question").count() == len(items)
    assert page.evaluate(
        "[...document.querySelectorAll('fieldset.question')]"
        ".every(f => f.firstElementChild && f.firstElementChild.tagName === 'LEGEND'"
        " && f.firstElementChild.textContent.trim() !== '')"
    )
    for item in items:
        expect(page.get_by_role("group", name=item.text_es)).to_have_count(1)


def test_a_respondent_answers_on_a_phone_in_spanish_saves_and_finishes_later(live_server, browser):
    cache.clear()  # the answering pages are rate-limited per address
    instrument = Instrument.objects.get(name="precarious-work-knowledge")
    items = list(instrument.items.all())
    assert [item.code for item in items] == ["k1", "k2", "k3", "k4", "k5", "k6", "s1", "s2", "s3", "s4", "s5"]
    administration = factories.administration(instrument, public_link_open=True, languages="en es")
    by_code = {item.code: item for item in items}

    def question(page, code):
        return page.get_by_role("group", name=by_code[code].text_es)

    first = browser.new_context(**PHONE)
    page = first.new_page()
    page.goto(live_server.url + reverse("evaluation:respond-public", args=[administration.public_token]))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("group", name=by_code["k1"].text)).to_be_visible()
    assert_fits_a_phone(page)

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(instrument.title_es)
    expect(question(page, "k1")).to_be_visible()
    assert_every_question_is_a_fieldset_with_a_legend(page, items)
    assert_fits_a_phone(page)

    # k1 from the keyboard only: the skip link, the "English" link, then the first radio group.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=spanish("Skip to main content"))).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="English")).to_be_focused()
    page.keyboard.press("Tab")
    k1 = question(page, "k1")
    expect(k1.get_by_role("radio").first).to_be_focused()
    page.keyboard.press("Space")
    expect(k1.get_by_role("radio", name="Totalmente en desacuerdo")).to_be_checked()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(k1.get_by_role("radio", name="De acuerdo", exact=True)).to_be_checked()
    expect(k1.get_by_role("radio", name="De acuerdo", exact=True)).to_be_focused()
    # k2 by a tap on its label, k3 by a check.
    question(page, "k2").get_by_text("Totalmente de acuerdo").tap()
    question(page, "k3").get_by_role("radio", name="En desacuerdo", exact=True).check()
    page.get_by_role("button", name=spanish("Save and finish later")).click()

    expect(page.get_by_role("heading", name=spanish("Your answers are saved"))).to_be_visible()
    resume_url = page.get_by_label(spanish("Your link to finish later")).input_value()
    assert re.search(r"/r/[^/]+/\?lang=es$", resume_url), resume_url
    assert_fits_a_phone(page)
    first.close()

    second = browser.new_context(**PHONE)
    page = second.new_page()
    page.goto(resume_url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(question(page, "k1").get_by_role("radio", name="De acuerdo", exact=True)).to_be_checked()
    expect(question(page, "k2").get_by_role("radio", name="Totalmente de acuerdo")).to_be_checked()
    expect(question(page, "k3").get_by_role("radio", name="En desacuerdo", exact=True)).to_be_checked()
    expect(question(page, "k4").get_by_role("radio", checked=True)).to_have_count(0)
    expect(page.locator("progress")).to_have_attribute("value", "3")
    assert_every_question_is_a_fieldset_with_a_legend(page, items)
    assert_fits_a_phone(page)
    for code in ("k4", "k5", "k6", "s1", "s2", "s3", "s4", "s5"):
        name = "Ni de acuerdo ni en desacuerdo" if code in ("k6", "s5") else "De acuerdo"
        question(page, code).get_by_role("radio", name=name, exact=True).check()
    page.get_by_role("button", name=spanish("Send my answers")).click()
    expect(page.get_by_role("heading", name=spanish("Thank you"))).to_be_visible()

    # Sending the same form again (a reload re-posts it; back goes to the resume link) saves nothing.
    resent = page.reload()
    assert resent is not None and resent.request.method == "POST"
    expect(page.get_by_role("heading", name=spanish("You have already answered"))).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name=spanish("You have already answered"))).to_be_visible()
    expect(page.get_by_role("button")).to_have_count(0)
    assert_fits_a_phone(page)
    second.close()

    response = Response.objects.get(administration=administration)
    assert response.status == ResponseStatus.COMPLETE
    assert response.language == "es"
    answers = {
        answer.item.code: answer.number
        for answer in Answer.objects.filter(response=response).select_related("item")
    }
    assert answers == {
        "k1": 4, "k2": 5, "k3": 2, "k4": 4, "k5": 4, "k6": 3, "s1": 4, "s2": 4, "s3": 4, "s4": 4, "s5": 3,
    }  # fmt: skip
    assert (response.person, response.organization, response.team) == (None, None, None)
    assert (response.invitation, response.entered_by, response.respondent_key) == (None, None, "")
    stored = [str(getattr(response, field.attname)) for field in Response._meta.concrete_fields]
    events = AuditEvent.objects.for_object(response)
    stored += [str(event.changes) + event.note + event.object_repr for event in events]
    assert not [value for value in stored if "127.0.0.1" in value or "localhost" in value]
    assert {event.actor_id for event in events} == {None}
