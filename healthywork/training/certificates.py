"""The certificate of completion as a one-page PDF (reportlab), in the registration's language.

The text is set in Bitstream Vera (shipped with reportlab, free licence), a TrueType font embedded
with a Unicode map, so accented names (José Núñez, Begoña) print and can be searched and copied.
"""

import io
from collections.abc import Callable
from pathlib import Path

import reportlab
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from healthywork.training.models import Certificate, Registration
from healthywork.training.records import hours_for

FONT, FONT_BOLD = "HWVera", "HWVeraBold"
_FONTS = Path(reportlab.__file__).parent / "fonts"


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONTS / "VeraBd.ttf")))


def language_of(registration: Registration) -> str:
    code = (registration.language or "en").split()[0][:2].lower()
    return code if code in {"en", "es"} else "en"


def dates_text(registration: Registration) -> str:
    """The training's date or dates, or for a self-paced one the day the material was completed."""
    training = registration.training
    if training.starts_at:
        first = timezone.localtime(training.starts_at).date()
        last = timezone.localtime(training.ends_at).date() if training.ends_at else first
        if first == last:
            return formats.date_format(first, "DATE_FORMAT")
        return _("%(first)s to %(last)s") % {
            "first": formats.date_format(first, "DATE_FORMAT"),
            "last": formats.date_format(last, "DATE_FORMAT"),
        }
    done = registration.completed_at
    return formats.date_format(timezone.localtime(done).date(), "DATE_FORMAT") if done else ""


def facilitators_text(registration: Registration) -> str:
    training = registration.training
    if training.facilitator_names:
        return training.facilitator_names
    return ", ".join(user.get_full_name() or user.username for user in training.facilitators.all())


def lines(certificate: Certificate, verify_url: str) -> list[tuple[str, str, int]]:
    """The certificate's text as (font, text, size) lines, in the current language."""
    registration = certificate.registration
    hours = hours_for(registration)
    result = [
        (FONT_BOLD, _("Certificate of completion"), 30),
        (FONT, _("This certifies that"), 14),
        (FONT_BOLD, registration.name, 26),
        (FONT, _("completed the training"), 14),
        (FONT_BOLD, registration.training.title, 18),
        (FONT, dates_text(registration), 13),
    ]
    if hours is not None:
        result.append(
            (FONT, _("%(hours)s hours") % {"hours": formats.number_format(hours, decimal_pos=1)}, 13)
        )
    facilitators = facilitators_text(registration)
    if facilitators:
        result.append((FONT, _("Facilitators: %(names)s") % {"names": facilitators}, 12))
    result.append((FONT, _("Certificate number: %(number)s") % {"number": certificate.number}, 11))
    result.append((FONT, _("Verify at: %(url)s") % {"url": verify_url}, 9))
    return result


def _fit(text: str, font: str, size: int, width: float) -> int:
    while size > 7 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    return size


def render_pdf(certificate: Certificate, build_url: Callable[[str], str]) -> bytes:
    """The PDF bytes; `build_url` makes the verification path absolute (request.build_absolute_uri)."""
    from django.urls import reverse

    _register_fonts()
    registration = certificate.registration
    with override(language_of(registration)):
        verify_url = build_url(reverse("training:certificate-verify", args=[certificate.verify_token]))
        text_lines = lines(certificate, verify_url)
        title = _("Certificate %(number)s") % {"number": certificate.number}
    buffer = io.BytesIO()
    width, height = landscape(letter)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    pdf.setTitle(title)
    pdf.setAuthor("healthywork")
    pdf.setSubject(registration.training.title)
    pdf.setLineWidth(3)
    pdf.rect(36, 36, width - 72, height - 72)
    pdf.setLineWidth(1)
    pdf.rect(44, 44, width - 88, height - 88)
    y = height - 120
    gaps = {30: 52, 26: 44, 18: 36}
    for font, text, size in text_lines:
        if not text:
            continue
        size = _fit(text, font, size, width - 140)
        pdf.setFont(font, size)
        pdf.drawCentredString(width / 2, y, text)
        y -= gaps.get(size, 26)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.number}.pdf"
