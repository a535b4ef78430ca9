"""Forms of the coding page: apply codes, adjust a coding, write a memo, filter the view."""

from django import forms
from django.utils.translation import gettext_lazy as _

from healthywork.scan.coding import Sentence
from healthywork.scan.models import Code, Document


class CodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Code) -> str:
        return obj.name


def _check_bounds(form: forms.Form, document: Document, start: int | None, end: int | None) -> None:
    length = len(document.text)
    if start is not None and start > length:
        form.add_error("start", _("The start must be between 0 and %(length)s.") % {"length": length})
    if end is not None and end > length:
        form.add_error("end", _("The end must be between 0 and %(length)s.") % {"length": length})
    if start is not None and end is not None and end <= start and "end" not in form.errors:
        form.add_error("end", _("The end must come after the start."))


class ApplyCodingsForm(forms.Form):
    """Codes to apply to a span given by offsets, or to the ticked sentences (one span for each
    run of consecutive sentences)."""

    codes = CodeChoiceField(
        label=_("Codes to apply"),
        queryset=Code.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one code to apply.")},
    )
    start = forms.IntegerField(label=_("Start (character)"), min_value=0, required=False)
    end = forms.IntegerField(label=_("End (character)"), min_value=0, required=False)
    sentences = forms.TypedMultipleChoiceField(
        label=_("Sentences"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, document: Document, codes, sentences: list[Sentence] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.sentence_list = sentences or []
        self.fields["codes"].queryset = codes
        self.fields["sentences"].choices = [
            (sentence.index, document.text[sentence.start : sentence.content_end])
            for sentence in self.sentence_list
            if sentence.content_end > sentence.start
        ]

    def clean(self):
        data = super().clean()
        picked = sorted(set(data.get("sentences") or []))
        if picked:
            data["spans"] = self._spans_of(picked)
            return data
        if self.sentence_list:
            self.add_error("sentences", _("Tick at least one sentence."))
            return data
        start, end = data.get("start"), data.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Select some text first, or give a start and an end."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Select some text first, or give a start and an end."))
        _check_bounds(self, self.document, start, end)
        if not self.errors:
            data["spans"] = [(start, end)]
        return data

    def _spans_of(self, picked: list[int]) -> list[tuple[int, int]]:
        by_index = {sentence.index: sentence for sentence in self.sentence_list}
        spans: list[tuple[int, int]] = []
        previous = None
        for index in picked:
            sentence = by_index[index]
            if previous is not None and index == previous + 1:
                spans[-1] = (spans[-1][0], sentence.content_end)
            else:
                spans.append((sentence.start, sentence.content_end))
            previous = index
        return spans


class AdjustCodingForm(forms.Form):
    start = forms.IntegerField(label=_("Start (character)"), min_value=0)
    end = forms.IntegerField(label=_("End (character)"), min_value=0)

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document

    def clean(self):
        data = super().clean()
        _check_bounds(self, self.document, data.get("start"), data.get("end"))
        return data


class MemoForm(forms.Form):
    text = forms.CharField(
        label=_("Memo"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the memo before saving it.")},
    )


class CodingFilterForm(forms.Form):
    """Which codings the page shows: one code and/or one coder (GET, so it works without JS)."""

    code = forms.ChoiceField(label=_("Code"), required=False)
    coder = forms.ChoiceField(label=_("Coder"), required=False)

    def __init__(self, *args, codes, coders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", _("All codes"))] + [(str(c.public_id), c.name) for c in codes]
        self.fields["coder"].choices = [("", _("All coders"))] + [
            (user.username, user.display_name()) for user in coders
        ]

    def filter(self, codings):
        if not self.is_valid():
            return codings
        if self.cleaned_data.get("code"):
            codings = codings.filter(code__public_id=self.cleaned_data["code"])
        if self.cleaned_data.get("coder"):
            codings = codings.filter(coder__username=self.cleaned_data["coder"])
        return codings
