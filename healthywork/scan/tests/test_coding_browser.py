"""The coding journey in a real browser: select text with the mouse, apply a code, see the highlight."""

import pytest
from playwright.sync_api import expect

from healthywork.accounts.models import User
from healthywork.accounts.roles import Role
from healthywork.scan.models import Coding, ProjectRole
from healthywork.scan.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHRASE_RECT = """([phrase]) => {
  const root = document.getElementById("coding-text");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(phrase);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + phrase.length);
    const rects = range.getClientRects();
    const first = rects[0], last = rects[rects.length - 1];
    return {x1: first.left + 1, y1: first.top + first.height / 2,
            x2: last.right - 1, y2: last.top + last.height / 2};
  }
  return null;
}"""


def drag_over(page, phrase: str) -> None:
    rect = page.evaluate(PHRASE_RECT, [phrase])
    page.mouse.move(rect["x1"], rect["y1"])
    page.mouse.down()
    page.mouse.move(rect["x2"], rect["y2"], steps=5)
    page.mouse.up()


def test_a_coder_selects_text_with_the_mouse_applies_a_code_and_sees_the_highlight(live_server, page):
    coder = User(username="cody", role=Role.CODER)
    coder.set_password("a long browser password")
    coder.save()
    project = factories.project("Browser scan")
    factories.member(project, coder, ProjectRole.CODER)
    document = factories.document(
        project, text="Intro 💸 line.\n\n" + factories.TRANSCRIPT, title="Interview A"
    )
    factories.code(project, "Wage theft", colour="#d62728")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("cody")
    page.get_by_label("Password").fill("a long browser password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/scan/documents/{document.public_id}/code/")

    # After an emoji (two UTF-16 units, one code point), offsets still count code points.
    drag_over(page, "line.")
    expect(page.get_by_label("Start (character)")).to_have_value(str(document.text.index("line.")))

    drag_over(page, "Wage theft is common")

    start = document.text.index("Wage theft is common")
    expect(page.get_by_label("Start (character)")).to_have_value(str(start))
    expect(page.get_by_label("End (character)")).to_have_value(str(start + len("Wage theft is common")))
    expect(page.locator("#selection-status")).to_contain_text("Selected: “Wage theft is common”")

    page.get_by_label("Wage theft").check()
    page.get_by_role("button", name="Apply codes").click()

    highlight = page.locator("#coding-text .run.hl")
    expect(highlight).to_have_text("Wage theft is common")
    # The label comes from the page's JSON of labels when the pointer is on the highlight.
    highlight.hover()
    expect(highlight).to_have_attribute("data-label", "Wage theft (cody)")
    band = highlight.evaluate("(el) => getComputedStyle(el).boxShadow")
    assert "rgb(214, 39, 40)" in band, band
    tint = highlight.evaluate("(el) => getComputedStyle(el).backgroundColor")
    assert tint not in ("", "transparent", "rgba(0, 0, 0, 0)"), tint
    expect(page.locator(".coding-list")).to_contain_text("Wage theft is common")
    coding = Coding.objects.get()
    assert coding.snippet == "Wage theft is common" and coding.coder == coder

    # The keyboard: move to a sentence, mark it, extend to the next.
    page.locator("#coding-text").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+Enter")
    expect(page.locator("#coding-text .sentence.is-picked")).to_have_count(2)
    expect(page.get_by_label("Start (character)")).to_have_value("0")
    expect(page.locator("#selection-status")).to_contain_text("Interviewer: What does precarious work")
    # Down to "Wage theft is common.": the codes on the focused sentence are read out.
    for _step in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.locator("#codes-here")).to_have_text("Codes here: Wage theft (cody).")


def test_show_more_adds_the_next_codings_to_the_side_list_in_place(live_server, page):
    reader = User(username="vic", role=Role.CODER)
    reader.set_password("a long browser password")
    reader.save()
    project = factories.project("Browser scan")
    factories.member(project, reader, ProjectRole.LEAD)
    document = factories.document(project, title="Interview B")
    code = factories.code(project, "Wage theft", colour="#d62728")
    Coding.objects.bulk_create(
        Coding(document=document, code=code, coder=reader, start_offset=n, end_offset=n + 5, snippet="x")
        for n in range(120)
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("vic")
    page.get_by_label("Password").fill("a long browser password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/scan/documents/{document.public_id}/code/")
    items = page.locator(".coding-list > li[id^='coding-']:not(#coding-more)")
    expect(items).to_have_count(100)
    page.get_by_role("link", name="Show 20 more (100 of 120 listed)").click()
    expect(items).to_have_count(120)
    expect(page.locator("#coding-more")).to_have_count(0)
    assert page.url.endswith("/code/"), page.url  # htmx swapped the list in place
