"""Registering for a training with no account, in a real browser: the last seat, the waitlist, the
cancellation link from the e-mail, and the freed seat going to the next person."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from healthywork.training.forms_public import PublicRegistrationForm
from healthywork.training.models import Registration, RegistrationStatus
from healthywork.training.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Precarious work and health"


def register(page, name: str, email: str) -> None:
    """Fill the public form the way a person does, finding every field by its label."""
    labels = [
        str(field.label)
        for field_name, field in PublicRegistrationForm().fields.items()
        if field_name != "website"
    ]
    for label in labels:  # Django's labels end with a colon, except the checkbox's
        expect(page.get_by_label(re.compile("^" + re.escape(label) + ":?$"))).to_have_count(1)
    # The honeypot is out of the accessibility tree.
    expect(
        page.get_by_role("textbox", name=str(PublicRegistrationForm().fields["website"].label))
    ).to_have_count(0)
    page.get_by_label("Your name:", exact=True).fill(name)
    page.get_by_label("Email:", exact=True).fill(email)
    page.get_by_label("Organization:", exact=True).fill("Riverside Worker Center")
    expect(page.get_by_label("Preferred language:", exact=True)).to_have_value("en")
    page.get_by_label("Accommodation requests:", exact=True).fill("Captions, please.")
    page.get_by_label(re.compile(r"^I agree that the program keeps these details")).check()
    page.get_by_role("button", name="Register").click()


def link_in(message, kind: str) -> str:
    found = re.search(
        r"(https?://\S+/r/[^/\s]+/" + ("cancel/" if kind == "cancel" else "") + r")(\s|$)", message.body
    )
    assert found, message.body
    return found.group(1)


def test_the_last_seat_the_waitlist_and_a_cancellation_that_frees_it(live_server, page, browser, mailoutbox):
    cache.clear()  # the public POSTs are rate-limited per address
    training = factories.training(TITLE, capacity=1, slug="precarious-work")
    detail_url = live_server.url + reverse("training:public-detail", args=[training.slug])

    page.goto(detail_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("1 seat left")).to_be_visible()
    register(page, "Ana Ruiz", "ana@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your registration: {TITLE}")
    expect(page.get_by_role("status")).to_have_text(
        "You are registered. We sent you a confirmation e-mail with this page's link."
    )
    assert [message.to for message in mailoutbox] == [["ana@example.org"]]
    assert mailoutbox[0].subject == f"You are registered: {TITLE}"

    other = browser.new_context(locale="en-US")
    second = other.new_page()
    second.goto(detail_url)
    expect(second.get_by_text("Full: you can join the waitlist.")).to_be_visible()
    expect(
        second.get_by_text("This training is full. If you register, you join the waitlist")
    ).to_be_visible()
    register(second, "Luis Pérez", "luis@example.org")
    expect(second.get_by_role("status")).to_have_text(
        "The training is full: you are on the waitlist, in position 1. We e-mail you if a seat is freed."
    )
    assert [message.to for message in mailoutbox] == [["ana@example.org"], ["luis@example.org"]]
    luis_page = link_in(mailoutbox[1], "page")

    page.goto(link_in(mailoutbox[0], "cancel"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cancel your registration: {TITLE}")
    assert Registration.objects.get(email="ana@example.org").status == RegistrationStatus.REGISTERED
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.get_by_text("Your registration is cancelled. Thank you for letting us know.")).to_be_visible()
    expect(page.get_by_text("This registration is cancelled.")).to_be_visible()
    expect(page.get_by_role("link", name="Cancel my registration")).to_have_count(0)

    ana = Registration.objects.get(email="ana@example.org")
    luis = Registration.objects.get(email="luis@example.org")
    assert ana.status == RegistrationStatus.CANCELLED and ana.cancelled_at is not None
    assert luis.status == RegistrationStatus.REGISTERED and luis.promoted_at is not None
    promoted = [message for message in mailoutbox if message.to == ["luis@example.org"]]
    assert [message.subject for message in promoted][-1] == f"A seat is yours: {TITLE}"
    assert len(mailoutbox) == 3  # Ana's confirmation, Luis's waitlist notice, Luis's seat

    second.goto(luis_page)
    expect(second.get_by_role("status")).to_have_text("Luis Pérez, you are registered.")
    other.close()
