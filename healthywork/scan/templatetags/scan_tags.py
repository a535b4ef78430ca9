"""Template helpers of the scan: `{% load scan_tags %}`."""

import re

from django import template

register = template.Library()

_HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of a #RRGGBB colour (0 black … 1 white)."""
    digits = _HEX.match(colour.strip()).group(1)
    channels = []
    for index in (0, 2, 4):
        value = int(digits[index : index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@register.filter
def contrast_text(colour: str) -> str:
    """ "#000000" or "#ffffff", whichever reads better on `colour` (black for anything unreadable)."""
    if not isinstance(colour, str) or not _HEX.match(colour.strip()):
        return "#000000"
    if contrast_ratio(colour, "#000000") >= contrast_ratio(colour, "#ffffff"):
        return "#000000"
    return "#ffffff"
