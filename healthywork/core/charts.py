"""What every Vega-Lite chart of the app shares: the vega-embed options (export to PNG and SVG only,
in the reader's language)."""

from typing import Any

from django.utils.translation import gettext as _


def chart_options(filename: str) -> dict[str, Any]:
    """vega-embed options: the export actions only (PNG and SVG), saved as `filename`, in the
    reader's language."""
    return {
        "renderer": "svg",
        "actions": {"export": True, "source": False, "compiled": False, "editor": False},
        "downloadFileName": filename,
        "i18n": {
            "CLICK_TO_VIEW_ACTIONS": _("Save the chart"),
            "PNG_ACTION": _("Save as PNG"),
            "SVG_ACTION": _("Save as SVG"),
        },
    }
