"""Forms of the instrument builder. Choices and bands are typed one per line, fields separated by
"|": a choice `value | label | label_es` (a fourth field keeps an XLSForm choice name), a band
`low | high | label | label_es`; an error names the line."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from healthywork.core.forms import BoundedFileField
from healthywork.evaluation.instrument_format import CODE_PATTERN
from healthywork.evaluation.models import Dimension, Instrument, Item, ItemKind

CHOICE_KINDS = {ItemKind.LIKERT, ItemKind.SINGLE, ItemKind.MULTIPLE, ItemKind.MATRIX}


def _number(text: str) -> int | float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


def parse_choices(text: str) -> list[dict]:
    """`value | label | label_es [| name]` per line; ValidationError naming each bad line."""
    choices, errors, seen = [], [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        try:
            value = _number(parts[0])
        except ValueError:
            errors.append(
                _("Line %(number)s: “%(value)s” is not a number.") % {"number": number, "value": parts[0]}
            )
            continue
        label = parts[1] if len(parts) > 1 and parts[1] else str(value)
        choice = {"value": value, "label": label, "label_es": parts[2] if len(parts) > 2 else ""}
        if len(parts) > 3 and parts[3]:
            choice["name"] = parts[3]
        if len(parts) > 4:
            errors.append(_("Line %(number)s: more than four fields.") % {"number": number})
        if value in seen:
            errors.append(
                _("Line %(number)s: the value %(value)s is used twice.") % {"number": number, "value": value}
            )
        seen.add(value)
        choices.append(choice)
    if errors:
        raise forms.ValidationError(errors)
    return choices


def format_choices(choices: list[dict]) -> str:
    lines = []
    for choice in choices:
        parts = [str(choice.get("value", "")), str(choice.get("label", "")), str(choice.get("label_es", ""))]
        if choice.get("name"):
            parts.append(str(choice["name"]))
        lines.append(" | ".join(parts).rstrip(" |"))
    return "\n".join(lines)


def parse_bands(text: str) -> list[dict]:
    bands, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        try:
            low, high = _number(parts[0]), _number(parts[1])
        except (ValueError, IndexError):
            errors.append(
                _("Line %(number)s: write “low | high | label | label in Spanish”.") % {"number": number}
            )
            continue
        if low > high:
            errors.append(_("Line %(number)s: the low end is above the high end.") % {"number": number})
        label = parts[2] if len(parts) > 2 and parts[2] else f"{low}–{high}"
        bands.append(
            {"low": low, "high": high, "label": label, "label_es": parts[3] if len(parts) > 3 else ""}
        )
    if errors:
        raise forms.ValidationError(errors)
    return bands


def format_bands(bands: list[dict]) -> str:
    return "\n".join(
        " | ".join(str(band.get(key, "")) for key in ("low", "high", "label", "label_es")).rstrip(" |")
        for band in bands
    )


class InstrumentForm(forms.ModelForm):
    bands_text = forms.CharField(
        label=gettext_lazy("Score bands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One band of the total score per line: low | high | label | label in Spanish."
        ),
    )

    class Meta:
        model = Instrument
        fields = [
            "name",
            "title",
            "title_es",
            "description",
            "description_es",
            "kind",
            "total_method",
            "source",
            "is_locked",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_es": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bands_text"].initial = format_bands(self.instance.bands or [])

    def clean_bands_text(self) -> list[dict]:
        return parse_bands(self.cleaned_data["bands_text"])

    def save(self, commit: bool = True) -> Instrument:
        self.instance.bands = self.cleaned_data["bands_text"]
        return super().save(commit=commit)


class DimensionForm(forms.ModelForm):
    class Meta:
        model = Dimension
        fields = ["code", "label", "label_es", "method", "min_items"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        clash = Dimension.objects.filter(instrument=self.instance.instrument, code=code).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(
                _("This instrument already has a dimension “%(code)s”.") % {"code": code}
            )
        return code


class ItemForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=gettext_lazy("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "For Likert, single, multiple choice and matrix items: one per line, value | label | label in "
            "Spanish (for example: 1 | Strongly disagree | Totalmente en desacuerdo)."
        ),
    )

    class Meta:
        model = Item
        fields = [
            "code",
            "kind",
            "text",
            "text_es",
            "choices_text",
            "min_value",
            "max_value",
            "reverse_scored",
            "dimension",
            "required",
            "group",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "text_es": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "min_value": gettext_lazy("For number items."),
            "max_value": gettext_lazy("For number items."),
            "group": gettext_lazy("Matrix rows with the same group show as one grid."),
        }

    def __init__(self, *args, default_choices: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = Dimension.objects.filter(instrument=self.instance.instrument)
        self.fields["choices_text"].initial = format_choices(self.instance.choices or default_choices or [])

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not CODE_PATTERN.match(code):
            raise forms.ValidationError(_("Use letters, digits and underscores, not starting with a digit."))
        clash = Item.objects.filter(instrument=self.instance.instrument, code=code).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(_("This instrument already has an item “%(code)s”.") % {"code": code})
        return code

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        try:
            choices = parse_choices(cleaned.get("choices_text", ""))
        except forms.ValidationError as error:
            self.add_error("choices_text", error)
            return cleaned
        if kind in CHOICE_KINDS:
            if not choices:
                self.add_error("choices_text", _("This kind of item needs its choices, one per line."))
            cleaned["min_value"] = cleaned["max_value"] = None
        else:
            choices = []
        if kind not in {ItemKind.LIKERT, ItemKind.SINGLE, ItemKind.NUMBER, ItemKind.MATRIX} and cleaned.get(
            "reverse_scored"
        ):
            self.add_error("reverse_scored", _("Only numeric items can be reverse scored."))
        self.instance.choices = choices
        return cleaned

    def _update_errors(self, errors) -> None:
        # The model checks `choices`, which the form shows as `choices_text`.
        if hasattr(errors, "error_dict") and "choices" in errors.error_dict:
            moved = errors.error_dict.pop("choices")
            if not self.has_error("choices_text"):
                self.add_error("choices_text", moved)
        super()._update_errors(errors)


class CopyForm(forms.Form):
    name = forms.SlugField(label=gettext_lazy("Short name of the copy"), max_length=80)
    title = forms.CharField(label=gettext_lazy("Title of the copy"), max_length=250)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if Instrument.objects.filter(name=name).exists():
            raise forms.ValidationError(_("An instrument is already called “%(name)s”.") % {"name": name})
        return name


IMPORT_SUFFIXES = (".json", ".xlsx")


class InstrumentImportForm(forms.Form):
    file = BoundedFileField(
        label=gettext_lazy("Instrument file"),
        help_text=gettext_lazy("A healthywork instrument file (.json) or an XLSForm (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_SUFFIXES)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_SUFFIXES):
            raise forms.ValidationError(_("“%(name)s” is not a .json or .xlsx file.") % {"name": upload.name})
        return upload


class ItemsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Table of items (CSV or XLSX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    pasted = forms.CharField(
        label=gettext_lazy("Or paste the items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "A header row, then one item per row; columns code, dimension, text, text_es, reverse "
            "(separated by commas, semicolons or tabs, as copied from a spreadsheet)."
        ),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("pasted", "").strip():
            raise forms.ValidationError(_("Choose a file or paste the items."))
        upload = cleaned.get("file")
        if upload and upload.size > settings.HEALTHYWORK_MAX_UPLOAD_BYTES:
            self.add_error("file", _("The file is too large."))
        return cleaned
