"""The answer sheet: an instrument's items laid out for a respondent (one block per item, matrix
rows sharing a group as one grid), filled with what they gave, with errors by item.

Fields are named `q-<item code>` so they never clash with the form's own fields (csrf token,
language, submission key, match code)."""

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from healthywork.evaluation.answering import normalise_match_code
from healthywork.evaluation.models import Answer, Instrument, Item, ItemKind, Response

PREFIX = "q-"


def _value_text(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number == int(number) else str(number)


def choice_pairs(item: Item, language: str) -> list[tuple[str, str]]:
    spanish = language.startswith("es")
    return [
        (
            _value_text(choice["value"]),
            (choice.get("label_es") if spanish else "") or str(choice.get("label", "")),
        )
        for choice in item.choices
    ]


@dataclass
class Question:
    item: Item
    text: str
    choices: list[tuple[str, str]]
    value: str = ""
    values: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def name(self) -> str:
        return PREFIX + self.item.code

    @property
    def html_id(self) -> str:
        return "q-" + "".join(char if char.isalnum() else "-" for char in self.item.code)

    @property
    def kind(self) -> str:
        return self.item.kind


@dataclass
class Block:
    kind: str  # "item", "matrix" or "note"
    questions: list[Question]
    choices: list[tuple[str, str]] = field(default_factory=list)

    @property
    def html_id(self) -> str:
        return "block-" + self.questions[0].html_id


@dataclass
class Sheet:
    blocks: list[Block]

    @property
    def questions(self) -> list[Question]:
        return [q for block in self.blocks if block.kind != "note" for q in block.questions]

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.value or q.values)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def errors(self) -> list[Question]:
        return [q for q in self.questions if q.error]


def build_sheet(
    instrument: Instrument,
    language: str,
    data: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Sheet:
    data = data or {}
    errors = errors or {}
    blocks: list[Block] = []
    for item in instrument.items.all():
        raw = data.get(item.code)
        question = Question(
            item=item, text=item.localized_text(language), choices=choice_pairs(item, language)
        )
        if item.kind == ItemKind.MULTIPLE:
            question.values = (
                [str(v) for v in raw] if isinstance(raw, (list, tuple)) else str(raw or "").split()
            )
        else:
            question.value = str(raw[0] if isinstance(raw, (list, tuple)) and raw else raw or "")
        question.error = errors.get(item.code, "")
        if item.kind == ItemKind.NOTE:
            blocks.append(Block("note", [question]))
        elif item.kind == ItemKind.MATRIX and item.group:
            last = blocks[-1] if blocks else None
            if last is not None and last.kind == "matrix" and last.questions[0].item.group == item.group:
                last.questions.append(question)
            else:
                blocks.append(Block("matrix", [question], choices=question.choices))
        else:
            blocks.append(Block("item", [question]))
    return Sheet(blocks)


def data_from_post(instrument: Instrument, post: QueryDict | dict) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for item in instrument.items.all():
        name = PREFIX + item.code
        if item.kind == ItemKind.MULTIPLE:
            data[item.code] = post.getlist(name) if hasattr(post, "getlist") else post.get(name, [])
        elif name in post:
            data[item.code] = post.get(name, "")
    return data


def data_from_response(response: Response) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for answer in Answer.objects.filter(response=response).select_related("item"):
        if answer.item.kind == ItemKind.MULTIPLE:
            data[answer.item.code] = answer.text.split()
        elif answer.number is not None:
            data[answer.item.code] = _value_text(answer.number)
        else:
            data[answer.item.code] = answer.text
    return data


def clean_match_code(raw: str, *, required: bool) -> tuple[str, str]:
    """(normalised code, error)."""
    code = normalise_match_code(raw)
    if required and len(code) < 3:
        return code, _("Please make up a matching code of at least 3 letters or digits.")
    return code, ""
