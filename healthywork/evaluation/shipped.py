# ruff: noqa: E501  (wording in two languages reads better unbroken)
"""The instruments healthywork ships, as plain data in our file format (docs/instruments.md), and
`install`, which puts them in the database (used by the data migration 0002_shipped_instruments).

Names are fixed; other parts of the app look them up:

- `kirkpatrick-reaction`: a reaction form (Kirkpatrick level 1) in our own wording.
- `precarious-work-knowledge`: pre/post knowledge and self-efficacy on precarious work and
  policy, system and environmental (PSE) change, in our own wording.
- `levels-of-collaboration`: the Levels of Collaboration Scale (Frey, Lohmeier, Lee & Tollefson,
  American Journal of Evaluation 2006;27:383), a template: one matrix row per partner is made for a
  team by `instruments.collaboration_instrument_for_team`.
- `epres`: an EPRES-style scorer (Vives et al., Occup Environ Med 2010;67:548): the six dimensions,
  the 0–4 coding and the published quintile bands of the global score (Vives et al. 2013, J Environ
  Public Health 978656), but no item wording: the user supplies it.

Wording here is English and Spanish data, not interface text: it is stored in the rows (text,
text_es) rather than passed through gettext.
"""

AGREE5 = [
    {"value": 1, "label": "Strongly disagree", "label_es": "Totalmente en desacuerdo"},
    {"value": 2, "label": "Disagree", "label_es": "En desacuerdo"},
    {"value": 3, "label": "Neither agree nor disagree", "label_es": "Ni de acuerdo ni en desacuerdo"},
    {"value": 4, "label": "Agree", "label_es": "De acuerdo"},
    {"value": 5, "label": "Strongly agree", "label_es": "Totalmente de acuerdo"},
]

#: The levels of the Levels of Collaboration Scale, described in our own words after Frey et al. 2006.
COLLABORATION_LEVELS = [
    {
        "value": 0,
        "label": "0 No interaction: we do not work with them",
        "label_es": "0 Sin interacción: no trabajamos con ellos",
    },
    {
        "value": 1,
        "label": "1 Networking: we know of each other and talk now and then; each decides alone",
        "label_es": "1 Red: nos conocemos y hablamos de vez en cuando; cada uno decide por su cuenta",
    },
    {
        "value": 2,
        "label": "2 Cooperation: we share information; roles somewhat defined; each decides alone",
        "label_es": "2 Cooperación: compartimos información; funciones algo definidas; cada uno decide por su cuenta",
    },
    {
        "value": 3,
        "label": "3 Coordination: we share information and resources, talk often, make some decisions together",
        "label_es": "3 Coordinación: compartimos información y recursos, hablamos a menudo, tomamos algunas decisiones juntos",
    },
    {
        "value": 4,
        "label": "4 Coalition: we share ideas and resources, talk as a priority, every member has a vote",
        "label_es": "4 Coalición: compartimos ideas y recursos, la comunicación es prioritaria, cada miembro tiene voto",
    },
    {
        "value": 5,
        "label": "5 Collaboration: we act as one system, trust each other and decide by consensus",
        "label_es": "5 Colaboración: actuamos como un solo sistema, confiamos mutuamente y decidimos por consenso",
    },
]

#: The 0–4 coding of EPRES-style items (the item's own answer labels come with its wording).
EPRES_CHOICES = [
    {"value": 0, "label": "0 (least precarious)", "label_es": "0 (menos precario)"},
    {"value": 1, "label": "1", "label_es": "1"},
    {"value": 2, "label": "2", "label_es": "2"},
    {"value": 3, "label": "3", "label_es": "3"},
    {"value": 4, "label": "4 (most precarious)", "label_es": "4 (más precario)"},
]

#: Quintiles of the EPRES global score among Spanish workers (Vives et al. 2013).
EPRES_BANDS = [
    {"low": 0.0, "high": 0.61, "label": "Quintile 1", "label_es": "Quintil 1"},
    {"low": 0.62, "high": 0.85, "label": "Quintile 2", "label_es": "Quintil 2"},
    {"low": 0.86, "high": 1.12, "label": "Quintile 3", "label_es": "Quintil 3"},
    {"low": 1.13, "high": 1.55, "label": "Quintile 4", "label_es": "Quintil 4"},
    {"low": 1.56, "high": 4.0, "label": "Quintile 5", "label_es": "Quintil 5"},
]

EPRES_DIMENSIONS = [
    ("temporariness", "Temporariness", "Temporalidad"),
    ("disempowerment", "Disempowerment", "Desempoderamiento"),
    ("vulnerability", "Vulnerability", "Vulnerabilidad"),
    ("wages", "Wages", "Salarios"),
    ("rights", "Rights", "Derechos"),
    ("exercise_rights", "Exercise of rights", "Ejercicio de derechos"),
]


def _likert(code: str, dimension: str | None, text: str, text_es: str, reverse: bool = False) -> dict:
    return {
        "code": code,
        "dimension": dimension,
        "kind": "likert",
        "text": text,
        "text_es": text_es,
        "choices": AGREE5,
        "reverse_scored": reverse,
        "required": False,
    }


def _text(code: str, text: str, text_es: str) -> dict:
    return {"code": code, "dimension": None, "kind": "text", "text": text, "text_es": text_es}


KIRKPATRICK_REACTION = {
    "format": "healthywork-instrument",
    "version": 1,
    "instrument": {
        "name": "kirkpatrick-reaction",
        "title": "Reaction to the session or training",
        "title_es": "Reacción a la sesión o capacitación",
        "description": "How participants received a session or training (Kirkpatrick level 1: reaction).",
        "description_es": "Cómo recibieron los participantes una sesión o capacitación (nivel 1 de Kirkpatrick: reacción).",
        "kind": "reaction",
        "total_method": "mean_of_items",
        "bands": [],
        "source": "healthywork, our own wording (MIT licence). Kirkpatrick's four levels: reaction, learning, behavior, results.",
    },
    "dimensions": [
        {
            "code": "satisfaction",
            "label": "Satisfaction",
            "label_es": "Satisfacción",
            "method": "mean",
            "min_items": 1,
        },
        {
            "code": "relevance",
            "label": "Relevance",
            "label_es": "Pertinencia",
            "method": "mean",
            "min_items": 1,
        },
    ],
    "items": [
        _likert(
            "relevance",
            "relevance",
            "The content was relevant to my work.",
            "El contenido fue pertinente para mi trabajo.",
        ),
        _likert(
            "apply",
            "relevance",
            "I can apply what I learned in my organization.",
            "Puedo aplicar lo que aprendí en mi organización.",
        ),
        _likert(
            "satisfaction",
            "satisfaction",
            "Overall, I am satisfied with this session.",
            "En general, estoy satisfecho/a con esta sesión.",
        ),
        _likert(
            "engagement",
            "satisfaction",
            "The activities kept me engaged.",
            "Las actividades mantuvieron mi interés.",
        ),
        _likert(
            "facilitator",
            "satisfaction",
            "The facilitators explained the material clearly.",
            "Las personas facilitadoras explicaron el material con claridad.",
        ),
        _likert(
            "recommend",
            "satisfaction",
            "I would recommend this session to a colleague.",
            "Recomendaría esta sesión a un/a colega.",
        ),
        _text("most_useful", "What was most useful to you?", "¿Qué le resultó más útil?"),
        _text("improve", "What would you change?", "¿Qué cambiaría?"),
    ],
}

PRECARIOUS_WORK_KNOWLEDGE = {
    "format": "healthywork-instrument",
    "version": 1,
    "instrument": {
        "name": "precarious-work-knowledge",
        "title": "Knowledge and self-efficacy: precarious work and PSE change",
        "title_es": "Conocimientos y autoeficacia: trabajo precario y cambios de PSE",
        "description": "Given before and after the collaborative or a training; pair pre and post by respondent.",
        "description_es": "Se aplica antes y después del colaborativo o de una capacitación; se emparejan pre y post por persona.",
        "kind": "knowledge",
        "total_method": "mean_of_dimensions",
        "bands": [],
        "source": "healthywork, our own wording (MIT licence).",
    },
    "dimensions": [
        {
            "code": "knowledge",
            "label": "Knowledge",
            "label_es": "Conocimientos",
            "method": "mean",
            "min_items": 3,
        },
        {
            "code": "self_efficacy",
            "label": "Self-efficacy",
            "label_es": "Autoeficacia",
            "method": "mean",
            "min_items": 3,
        },
    ],
    "items": [
        _likert(
            "k1",
            "knowledge",
            "I can explain what precarious work is.",
            "Puedo explicar qué es el trabajo precario.",
        ),
        _likert(
            "k2",
            "knowledge",
            "I can name dimensions of employment precariousness, such as temporariness, low wages and lack of rights.",
            "Puedo nombrar dimensiones de la precariedad laboral, como la temporalidad, los salarios bajos y la falta de derechos.",
        ),
        _likert(
            "k3",
            "knowledge",
            "I understand how precarious work affects the health of workers and their families.",
            "Entiendo cómo el trabajo precario afecta la salud de los trabajadores y sus familias.",
        ),
        _likert(
            "k4",
            "knowledge",
            "I can tell a policy change from a system change and from an environmental change.",
            "Sé distinguir un cambio de política de un cambio de sistema y de un cambio del entorno.",
        ),
        _likert(
            "k5",
            "knowledge",
            "I understand how labor and health organizations can work together on working conditions.",
            "Entiendo cómo las organizaciones laborales y de salud pueden trabajar juntas en las condiciones de trabajo.",
        ),
        _likert(
            "k6",
            "knowledge",
            "I find it hard to explain how employment conditions shape health.",
            "Me cuesta explicar cómo las condiciones de empleo influyen en la salud.",
            reverse=True,
        ),
        _likert(
            "s1",
            "self_efficacy",
            "I am confident I can find out who has the power to change a workplace policy.",
            "Me siento capaz de averiguar quién tiene el poder de cambiar una política laboral.",
        ),
        _likert(
            "s2",
            "self_efficacy",
            "I am confident I can build a theory of change for an initiative on working conditions.",
            "Me siento capaz de construir una teoría del cambio para una iniciativa sobre condiciones de trabajo.",
        ),
        _likert(
            "s3",
            "self_efficacy",
            "I am confident I can plan the steps of a policy, system or environmental change.",
            "Me siento capaz de planificar los pasos de un cambio de política, sistema o entorno.",
        ),
        _likert(
            "s4",
            "self_efficacy",
            "I am confident I can bring partners from other sectors into our work.",
            "Me siento capaz de sumar a socios de otros sectores a nuestro trabajo.",
        ),
        _likert(
            "s5",
            "self_efficacy",
            "I would not know where to start to change a policy in my organization.",
            "No sabría por dónde empezar para cambiar una política en mi organización.",
            reverse=True,
        ),
    ],
}

LEVELS_OF_COLLABORATION = {
    "format": "healthywork-instrument",
    "version": 1,
    "instrument": {
        "name": "levels-of-collaboration",
        "title": "Levels of Collaboration Scale",
        "title_es": "Escala de niveles de colaboración",
        "description": (
            "Each member rates each partner from 0 (no interaction) to 5 (collaboration). This is the "
            "template: make a team's copy, with one row per partner organization, from the team."
        ),
        "description_es": (
            "Cada miembro califica a cada socio de 0 (sin interacción) a 5 (colaboración). Esta es la "
            "plantilla: cree la copia de un equipo, con una fila por organización socia, desde el equipo."
        ),
        "kind": "collaboration",
        "total_method": "mean_of_items",
        "bands": [],
        "source": (
            "Levels after Frey BB, Lohmeier JH, Lee SW, Tollefson N. Measuring collaboration among grant "
            "partners. American Journal of Evaluation 2006;27(3):383-392. Descriptions in our own words."
        ),
    },
    "dimensions": [
        {
            "code": "collaboration",
            "label": "Collaboration",
            "label_es": "Colaboración",
            "method": "mean",
            "min_items": 1,
        }
    ],
    "items": [
        {
            "code": "partner",
            "dimension": "collaboration",
            "kind": "matrix",
            "group": "partners",
            "text": "A partner organization (a team's copy has one row per partner)",
            "text_es": "Una organización socia (la copia de un equipo tiene una fila por socio)",
            "choices": COLLABORATION_LEVELS,
        }
    ],
}

EPRES = {
    "format": "healthywork-instrument",
    "version": 1,
    "instrument": {
        "name": "epres",
        "title": "Employment precariousness (EPRES-style scorer)",
        "title_es": "Precariedad laboral (calculadora tipo EPRES)",
        "description": (
            "Six dimensions; items coded 0-4 (4 most precarious); a dimension score is the mean of its items, "
            "the global score the mean of the six dimension scores, with the published quintile bands. "
            "No item wording is shipped: add your items with their dimension and wording."
        ),
        "description_es": (
            "Seis dimensiones; ítems codificados de 0 a 4 (4 más precario); la puntuación de una dimensión es la "
            "media de sus ítems y la global la media de las seis dimensiones, con los quintiles publicados. "
            "No se incluye la redacción de los ítems: añada sus ítems con su dimensión y redacción."
        ),
        "kind": "epres",
        "total_method": "mean_of_dimensions",
        "bands": EPRES_BANDS,
        "source": (
            "Scoring after Vives A, Amable M, Ferrer M, et al. The Employment Precariousness Scale (EPRES). "
            "Occupational and Environmental Medicine 2010;67:548-555. Quintile bands: Vives A, et al. "
            "Journal of Environmental and Public Health 2013, 978656. Item wording comes from the user."
        ),
    },
    "dimensions": [
        {"code": code, "label": label, "label_es": label_es, "method": "mean", "min_items": 1}
        for code, label, label_es in EPRES_DIMENSIONS
    ],
    "items": [],
}

#: Every shipped instrument, in the order they are installed.
SHIPPED = [KIRKPATRICK_REACTION, PRECARIOUS_WORK_KNOWLEDGE, LEVELS_OF_COLLABORATION, EPRES]
SHIPPED_NAMES = [definition["instrument"]["name"] for definition in SHIPPED]

_INSTRUMENT_FIELDS = (
    "title",
    "title_es",
    "description",
    "description_es",
    "kind",
    "total_method",
    "bands",
    "source",
)
_DIMENSION_FIELDS = ("label", "label_es", "method", "min_items")
_ITEM_FIELDS = (
    "text",
    "text_es",
    "kind",
    "choices",
    "min_value",
    "max_value",
    "reverse_scored",
    "required",
    "group",
)


def install(Instrument, Dimension, Item) -> list[str]:  # noqa: N803 (model classes, maybe historical)
    """Create the shipped instruments, and any of their dimensions and items, that are missing.

    Takes the model classes so that a data migration can pass its historical models. Looks rows up
    by name (instrument) and code (dimension, item): it never duplicates and never changes a row
    that exists, so running it again, or after a user edited a shipped instrument, is safe. An
    instrument that has answers is left alone. Returns the names of the instruments it created.
    """
    created_names = []
    for definition in SHIPPED:
        fields = definition["instrument"]
        instrument, created = Instrument.objects.get_or_create(
            name=fields["name"],
            defaults={**{key: fields[key] for key in _INSTRUMENT_FIELDS}, "is_shipped": True},
        )
        if created:
            created_names.append(instrument.name)
        elif (
            instrument.is_locked or Item.objects.filter(instrument=instrument, answers__isnull=False).exists()
        ):
            continue
        dimensions = {
            dimension.code: dimension for dimension in Dimension.objects.filter(instrument=instrument)
        }
        for position, spec in enumerate(definition["dimensions"]):
            if spec["code"] not in dimensions:
                dimensions[spec["code"]] = Dimension.objects.create(
                    instrument=instrument,
                    code=spec["code"],
                    position=position,
                    **{key: spec[key] for key in _DIMENSION_FIELDS if key in spec},
                )
        existing_items = set(Item.objects.filter(instrument=instrument).values_list("code", flat=True))
        for position, spec in enumerate(definition["items"], start=1):
            if spec["code"] in existing_items:
                continue
            Item.objects.create(
                instrument=instrument,
                code=spec["code"],
                dimension=dimensions.get(spec.get("dimension")) if spec.get("dimension") else None,
                position=position,
                **{key: spec[key] for key in _ITEM_FIELDS if key in spec},
            )
    return created_names
