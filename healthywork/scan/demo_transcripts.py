"""Invented interview transcripts for the demo scan (and for the scan benchmark).

A transcript is built from sentence banks, one bank per theme (paid sick leave, worksite wellness,
fear of retaliation, ...), with a seeded random generator, so the same seed gives the same text
and no two transcripts read alike. Each interviewer turn asks about one of the scan guide's five
topics; the respondent answers with sentences drawn from the banks that suit the organization's
sector family. The mix carries the scan's published finding: labor organizations talk about
public policy (fair scheduling, sick leave, wage theft, the minimum wage) and organizing; health
organizations know little about precarious work and talk about trainings and internal wellness
policies; few of either work with the other side.

Because every respondent sentence comes from a known bank, the generator returns, with the text,
the character offsets of each sentence and its bank: the demo codes them (see `demo.py`).

Sentences end with a full stop and hold no other full stop, question mark or exclamation mark,
so a sentence splitter finds the same sentences the generator wrote. The respondent speaks of
"our organization" or "we" and never names it; a few fictional first names appear in
uncoded small talk for the pseudonym table to replace.
"""

import random
from dataclasses import dataclass, field

# The five topics of the scan's interview guide, in its order.
TOPICS = ["swot", "networks", "policy", "skills", "communication"]

# Fictional first names mentioned in small talk; the demo's pseudonym table replaces them.
FIRST_NAMES = ["Dolores", "Marcus", "Lupita", "Trevor", "Yesenia"]


@dataclass(frozen=True)
class Segment:
    """One respondent sentence drawn from a coded bank: text[start:end] is the sentence."""

    start: int
    end: int
    bank: str
    answer: int  # index of the respondent's turn, so neighbouring sentences can be coded together


@dataclass
class Transcript:
    text: str
    segments: list[Segment] = field(default_factory=list)
    language: str = "en"

    @property
    def word_count(self) -> int:
        return len(self.text.split())


QUESTIONS: dict[str, dict[str, list[str]]] = {
    "en": {
        "swot": [
            "What are the main strengths, opportunities, challenges and threats you see for healthy "
            "work where jobs are precarious?",
            "When you think about precarious work, what is going well and what stands in the way?",
            "What challenges do the people you serve face at work, and what helps your organization respond?",
        ],
        "networks": [
            "Which business or employment networks do you work with to support worker health?",
            "Who are your partners when it comes to workers' health and safety?",
            "Do you work with employers, unions or other networks on these questions?",
        ],
        "policy": [
            "Are there policy proposals under way that your organization supports or could build on?",
            "What policy work, inside or outside your organization, touches on working conditions?",
            "Which laws or rules about work are you following or pushing for right now?",
        ],
        "skills": [
            "What initiatives do you run that build workers' skills and knowledge?",
            "Do you offer trainings or education for workers, and what do they cover?",
            "How do you help workers feel able to protect their own health at work?",
        ],
        "communication": [
            "How do you get information out, and how do you hear back from the people you serve?",
            "Which communication channels work best for reaching workers?",
            "What channels do you use for two-way exchange with your community?",
        ],
    },
    "es": {
        "swot": [
            "¿Cuáles son las fortalezas, oportunidades, retos y amenazas que ven para el trabajo "
            "saludable cuando el empleo es precario?",
            "Cuando piensan en el trabajo precario, ¿qué funciona bien y qué se lo impide?",
        ],
        "networks": [
            "¿Con qué redes de empleadores o de empleo trabajan para apoyar la salud de los trabajadores?",
            "¿Quiénes son sus aliados en temas de salud y seguridad en el trabajo?",
        ],
        "policy": [
            "¿Hay propuestas de política pública en marcha que ustedes apoyan o podrían aprovechar?",
            "¿Qué leyes o reglas sobre el trabajo están impulsando ahora?",
        ],
        "skills": [
            "¿Qué iniciativas tienen para fortalecer los conocimientos y habilidades de los trabajadores?",
            "¿Ofrecen capacitaciones a los trabajadores, y sobre qué temas?",
        ],
        "communication": [
            "¿Cómo comparten la información y cómo escuchan a la gente con la que trabajan?",
            "¿Qué medios de comunicación funcionan mejor para llegar a los trabajadores?",
        ],
    },
}

OPENINGS = {
    "en": [
        (
            "Thank you for making time for this interview today. Before we start, do you have any "
            "questions about the consent form?",
            "No, that is all clear. Happy to help with the scan.",
        ),
        (
            "Thanks for talking with us. As the form says, you can skip any question.",
            "Sounds good. We have been looking forward to this conversation.",
        ),
        (
            "We appreciate you joining us. Could you start by telling me a little about your role?",
            "Sure, I coordinate our programs and I have been here for several years.",
        ),
    ],
    "es": [
        (
            "Gracias por darnos este tiempo. Antes de empezar, ¿tiene alguna pregunta sobre el "
            "consentimiento?",
            "No, todo está claro. Con gusto participamos.",
        ),
        (
            "Muchas gracias por hablar con nosotros. Puede saltar cualquier pregunta.",
            "Está bien. Nos da gusto poder compartir nuestra experiencia.",
        ),
    ],
}

CLOSINGS = {
    "en": [
        (
            "Is there anything else you would like to add?",
            "Only that we would welcome more of these conversations.",
        ),
        ("That covers our questions. Anything we missed?", "I think we covered it. Thank you for asking."),
        (
            "Thank you, this has been very helpful.",
            "Thank you too, and please share what you learn from the other interviews.",
        ),
    ],
    "es": [
        ("¿Hay algo más que quiera agregar?", "Solo que nos gustaría seguir en contacto con ustedes."),
        ("Eso es todo, muchas gracias.", "Gracias a ustedes por tomarnos en cuenta."),
    ],
}

PROBES = {
    "en": [
        "Could you give me an example?",
        "Can you say more about that?",
        "How did that come about?",
        "What would help you do more of that?",
    ],
    "es": ["¿Nos puede dar un ejemplo?", "¿Puede contarnos un poco más?"],
}

# Uncoded small talk inside answers; {name} is one of FIRST_NAMES.
FILLERS = {
    "en": [
        "That is a good question.",
        "Let me think about how to put this.",
        "My colleague {name} could tell you more about the details.",
        "I was talking about this with {name} just last week.",
        "It depends on the year, honestly.",
        "I would have to check the exact numbers.",
    ],
    "es": [
        "Es una buena pregunta.",
        "Mi compañera {name} sabe más de los detalles.",
        "Depende del año, la verdad.",
    ],
}

# The banks. Slots: {workers} (the workers the organization serves), {partner} (a partner kind).
BANKS: dict[str, dict[str, list[str]]] = {
    "en": {
        "swot.strength": [
            "Our biggest strength is the trust we have built with {workers} over many years.",
            "We have staff who come from the communities we serve, and that opens doors.",
            "People know us and they come to us when something goes wrong.",
            "We have a strong base of volunteers who stay with us for a long time.",
            "Our reputation in the neighborhood is probably the best thing we have going for us.",
            "We are small, but we can move quickly when an issue comes up.",
        ],
        "swot.opportunity": [
            "There is more attention now to work as a social determinant of health, and that is an opening.",
            "The new county health improvement plan names employment, so there may be room to act.",
            "Foundations are starting to ask about equity, and jobs are part of that conversation.",
            "We see an opportunity in the new city administration, which says it cares about workers.",
            "The public conversation about wages has changed a lot in the last two years.",
        ],
        "swot.limited_knowledge": [
            "To be honest, precarious work is not a term we use much here.",
            "We have not really looked at how people's jobs affect their health beyond the clinic visit.",
            "Our staff are not trained to ask patients about their working conditions.",
            "I am not sure we would know what to do if someone told us their schedule changes every week.",
            "We focus on chronic disease, and employment has not been part of how we frame it.",
            "Work comes up in our assessments, but mostly as whether someone has insurance through a job.",
            "We do not collect data on temporary or contract work, so we cannot say much about it.",
        ],
        "swot.funding": [
            "Funding is always the challenge, and most of our grants are tied to specific diseases.",
            "The state budget impasse hit us hard and we lost two positions.",
            "We run on small grants from year to year, which makes planning difficult.",
            "There is no funding stream for this kind of work, so it happens on the side.",
            "Our budget has been flat for five years while the need keeps growing.",
        ],
        "swot.retaliation": [
            "Workers are afraid that if they speak up they will lose their shifts.",
            "Many {workers} fear retaliation, especially those without papers.",
            "When someone complains about safety, the agency just stops calling them.",
            "People put up with injuries because they cannot afford to miss a day.",
            "The fear of being reported to immigration keeps a lot of people quiet.",
            "Even when the law is on their side, workers are scared to file a claim.",
        ],
        "swot.threat": [
            "The political climate in Washington makes everything harder right now.",
            "We worry about preemption bills in the state legislature that would undo local gains.",
            "Staffing agencies keep growing and the jobs keep getting less stable.",
            "Changes to health coverage could leave many of the people we serve without care.",
        ],
        "networks.employer": [
            "We work with the chamber of commerce on a worksite wellness recognition program.",
            "Some large employers in the county take part in our wellness council.",
            "We partner with the hospital's employee health office on screenings.",
            "The local manufacturers' association invites us to talk about healthy workplaces.",
            "Our business partners mostly want help with health fairs and flu shots.",
        ],
        "networks.labor": [
            "We are part of a coalition of worker centers that meets every month.",
            "We work closely with a couple of local unions on campaigns.",
            "Our network of {workers} leaders connects us to other groups across the region.",
            "We share cases and strategy with other worker centers and with legal aid.",
            "The central labor council has been a steady partner for us.",
            "We coordinate with faith groups and immigrant rights groups on most campaigns.",
        ],
        "collab.barrier": [
            "We do not really have a relationship with {partner}, and I am not sure who to call there.",
            "Honestly, we speak different languages, and it is hard to find common ground.",
            "We tried to meet with {partner} once, but nothing came of it.",
            "There is no place where people like us and {partner} sit at the same table.",
            "I think they see us as too political, and we see them as too slow.",
        ],
        "collab.partnership": [
            "We worked with {partner} last year on a heat safety outreach campaign.",
            "We have a memorandum of understanding with {partner} to refer workers to each other.",
            "We have started to meet with {partner} and it has been promising.",
        ],
        "policy.sick_leave": [
            "We are pushing for an earned sick time ordinance in the county.",
            "Paid sick leave is our top priority this year, because people go to work sick.",
            "Our members testified at the hearing on the paid sick days proposal.",
            "Without paid sick days, {workers} have to choose between their health and their pay.",
            "We are collecting stories from workers for the sick leave campaign.",
        ],
        "policy.scheduling": [
            "We are working on a fair workweek ordinance so people get their schedules two weeks ahead.",
            "Unpredictable schedules are a big issue, and we back the fair scheduling proposal.",
            "Our members' hours change from day to day, so predictable scheduling is part of our platform.",
            "We are surveying {workers} about last-minute shift changes to support the scheduling campaign.",
        ],
        "policy.minimum_wage": [
            "We are part of the campaign to raise the minimum wage to fifteen dollars an hour.",
            "A higher minimum wage would do more for health than most programs we could run.",
            "We organized members to speak at city council about the minimum wage increase.",
            "The county minimum wage ordinance is a big fight for us right now.",
        ],
        "policy.wage_theft": [
            "Wage theft is everywhere, and we are pushing for stronger enforcement.",
            "We support the bill that would let the state suspend licenses of employers who steal wages.",
            "We help workers file wage claims and we push the department of labor to act on them.",
            "We want the city to create an office of labor standards to enforce wage laws.",
            "Every week we see {workers} who were paid less than they were owed.",
        ],
        "policy.osh": [
            "We are asking the state for a heat standard for people who work indoors without cooling.",
            "We want injury reporting rules that staffing agencies cannot dodge.",
            "Our members pushed for stronger enforcement of safety rules at the warehouses.",
            "We back the proposal to give temp workers the same safety training rights as permanent staff.",
        ],
        "policy.internal": [
            "Inside our own organization we adopted a wellness policy with healthy food at meetings.",
            "We updated our employee handbook to include a lactation policy and flexible hours.",
            "Our policy work is mostly internal, like a tobacco-free campus and standing desks.",
            "We encourage partner employers to adopt worksite wellness policies.",
            "We do not take positions on legislation, but we do set policies for our own staff.",
        ],
        "skills.rights": [
            "We run know-your-rights workshops every month, in English and Spanish.",
            "Our trainings teach {workers} how to document hours and recognize wage theft.",
            "We train workers on their rights under the sick leave and minimum wage laws.",
            "Workers learn how to file a complaint and what protections they have from retaliation.",
        ],
        "skills.safety": [
            "We offer OSHA ten-hour safety trainings for {workers}.",
            "Our health and safety trainings cover heat, chemicals and lifting.",
            "Workers practice how to spot hazards and how to talk to a supervisor about them.",
            "We trained promoters who now teach safety to their coworkers.",
        ],
        "skills.wellness": [
            "We offer worksite wellness classes on nutrition, physical activity and stress.",
            "Our health educators run diabetes prevention classes at several workplaces.",
            "We train employers to set up wellness committees for their staff.",
            "Most of our trainings are about healthy eating and quitting smoking.",
            "We run a stress management series for staff at partner businesses.",
        ],
        "skills.leadership": [
            "Our leadership school trains members to run meetings and speak in public.",
            "We build leaders among {workers} who then organize their own coworkers.",
            "Members learn how to plan a campaign and talk with elected officials.",
            "We have a committee of worker leaders who design our trainings.",
        ],
        "communication.social": [
            "We use Facebook and WhatsApp groups to reach members quickly.",
            "Text messages work better than email for {workers}.",
            "Our social media posts get shared a lot when there is a new law.",
            "We post short videos because many people watch them on their phones during breaks.",
        ],
        "communication.media": [
            "Spanish-language radio has been one of our best ways to reach people.",
            "We send a monthly newsletter to partners and funders.",
            "Our website has fact sheets, but I am not sure how many workers read them.",
            "We put flyers in clinics, laundromats and churches.",
            "The local paper covers our events from time to time.",
        ],
        "communication.meetings": [
            "Our monthly assemblies are where we hear directly from members.",
            "We hold listening sessions in the community before we plan anything new.",
            "Community meetings in church basements are still the best two-way channel we have.",
            "We ask for feedback at the end of every training and we change things based on it.",
            "Our community advisory board tells us what people are dealing with.",
        ],
    },
    "es": {
        "swot.strength": [
            "Nuestra mayor fortaleza es la confianza que tenemos con {workers}.",
            "El equipo viene de la misma comunidad, y eso abre puertas.",
            "La gente nos conoce y viene cuando tiene un problema en el trabajo.",
        ],
        "swot.opportunity": [
            "Ahora se habla más de los salarios, y eso es una oportunidad.",
            "La nueva administración de la ciudad dice que le importan los trabajadores.",
        ],
        "swot.funding": [
            "El financiamiento siempre es un reto para nosotros.",
            "Trabajamos con fondos pequeños de un año a otro.",
        ],
        "swot.retaliation": [
            "Los trabajadores tienen miedo de perder sus turnos si se quejan.",
            "Muchos {workers} temen represalias, sobre todo quienes no tienen papeles.",
            "Cuando alguien reclama por la seguridad, la agencia ya no lo llama.",
            "El miedo a la migra hace que mucha gente se quede callada.",
        ],
        "networks.labor": [
            "Somos parte de una coalición de centros de trabajadores que se reúne cada mes.",
            "Trabajamos con sindicatos locales en varias campañas.",
            "Compartimos casos y estrategias con otros centros y con abogados.",
        ],
        "collab.barrier": [
            "No tenemos relación con {partner}, y no sabemos a quién llamar allí.",
            "Una vez intentamos reunirnos con {partner}, pero no pasó nada.",
        ],
        "collab.partnership": [
            "El año pasado trabajamos con {partner} en una campaña sobre el calor.",
        ],
        "policy.sick_leave": [
            "Estamos impulsando una ordenanza de días de enfermedad pagados en el condado.",
            "Sin días de enfermedad pagados, la gente tiene que escoger entre su salud y su sueldo.",
        ],
        "policy.scheduling": [
            "Apoyamos la propuesta de horarios justos para que la gente sepa su horario con anticipación.",
            "Los horarios cambian cada día, y eso afecta a toda la familia.",
        ],
        "policy.minimum_wage": [
            "Somos parte de la campaña para subir el salario mínimo a quince dólares.",
            "Nuestros miembros hablaron en el concejo municipal sobre el salario mínimo.",
        ],
        "policy.wage_theft": [
            "El robo de salario está en todas partes, y exigimos que se cumpla la ley.",
            "Cada semana vemos a {workers} a quienes les pagaron menos de lo debido.",
            "Ayudamos a presentar reclamos de salario ante el departamento del trabajo.",
        ],
        "skills.rights": [
            "Cada mes damos talleres de conozca sus derechos.",
            "Enseñamos a {workers} a apuntar sus horas y a reconocer el robo de salario.",
        ],
        "skills.safety": [
            "Damos capacitaciones de seguridad sobre el calor, los químicos y cómo cargar peso.",
            "Formamos promotores que ahora enseñan seguridad a sus compañeros.",
        ],
        "skills.leadership": [
            "Nuestra escuela de liderazgo enseña a los miembros a hablar en público.",
            "Formamos líderes que luego organizan a sus compañeros de trabajo.",
        ],
        "communication.social": [
            "Usamos grupos de WhatsApp para avisar rápido a los miembros.",
            "Los mensajes de texto funcionan mejor que el correo.",
        ],
        "communication.media": [
            "La radio en español es una de las mejores maneras de llegar a la gente.",
            "Dejamos volantes en lavanderías, clínicas e iglesias.",
        ],
        "communication.meetings": [
            "En las asambleas mensuales escuchamos directamente a los miembros.",
            "Hacemos reuniones comunitarias antes de planear algo nuevo.",
        ],
    },
}

# Per sector family and topic: (bank, weight). Banks missing from a language are skipped.
PROFILES: dict[str, dict[str, list[tuple[str, int]]]] = {
    "health": {
        "swot": [
            ("swot.limited_knowledge", 6),
            ("swot.funding", 3),
            ("swot.strength", 3),
            ("swot.opportunity", 2),
            ("swot.threat", 1),
        ],
        "networks": [("networks.employer", 6), ("collab.barrier", 3), ("collab.partnership", 1)],
        "policy": [("policy.internal", 7), ("policy.sick_leave", 1), ("policy.osh", 1)],
        "skills": [("skills.wellness", 7), ("skills.safety", 2)],
        "communication": [
            ("communication.media", 5),
            ("communication.social", 2),
            ("communication.meetings", 2),
        ],
    },
    "labor": {
        "swot": [("swot.retaliation", 6), ("swot.strength", 3), ("swot.funding", 2), ("swot.threat", 2)],
        "networks": [("networks.labor", 6), ("collab.barrier", 3), ("collab.partnership", 1)],
        "policy": [
            ("policy.sick_leave", 3),
            ("policy.scheduling", 3),
            ("policy.minimum_wage", 3),
            ("policy.wage_theft", 4),
            ("policy.osh", 2),
        ],
        "skills": [("skills.rights", 4), ("skills.leadership", 4), ("skills.safety", 3)],
        "communication": [
            ("communication.meetings", 4),
            ("communication.social", 3),
            ("communication.media", 3),
        ],
    },
    "legal": {
        "swot": [("swot.retaliation", 4), ("swot.funding", 4), ("swot.strength", 2)],
        "networks": [("networks.labor", 5), ("collab.barrier", 2), ("collab.partnership", 1)],
        "policy": [("policy.wage_theft", 7), ("policy.minimum_wage", 2), ("policy.sick_leave", 2)],
        "skills": [("skills.rights", 7), ("skills.leadership", 1)],
        "communication": [("communication.media", 4), ("communication.meetings", 3)],
    },
    "community": {
        "swot": [
            ("swot.strength", 4),
            ("swot.limited_knowledge", 3),
            ("swot.funding", 4),
            ("swot.opportunity", 3),
        ],
        "networks": [
            ("networks.employer", 3),
            ("networks.labor", 2),
            ("collab.barrier", 3),
            ("collab.partnership", 2),
        ],
        "policy": [("policy.internal", 3), ("policy.sick_leave", 2), ("policy.minimum_wage", 1)],
        "skills": [("skills.wellness", 4), ("skills.rights", 2)],
        "communication": [
            ("communication.meetings", 4),
            ("communication.media", 3),
            ("communication.social", 2),
        ],
    },
    "research": {
        "swot": [
            ("swot.opportunity", 4),
            ("swot.funding", 4),
            ("swot.limited_knowledge", 2),
            ("swot.threat", 2),
        ],
        "networks": [
            ("networks.employer", 3),
            ("networks.labor", 3),
            ("collab.barrier", 2),
            ("collab.partnership", 2),
        ],
        "policy": [("policy.internal", 2), ("policy.scheduling", 2), ("policy.minimum_wage", 2)],
        "skills": [("skills.safety", 4), ("skills.wellness", 2), ("skills.leadership", 1)],
        "communication": [("communication.media", 5), ("communication.meetings", 2)],
    },
}

# The scan's sector families as the partners app names them, mapped to a profile above.
FAMILY_PROFILE = {
    "health": "health",
    "labor": "labor",
    "legal": "legal",
    "community": "community",
    "research": "research",
    "government": "research",
    "business": "health",
    "philanthropy": "community",
}

WORKERS = {
    "health": ["patients who work low-wage jobs", "residents", "home care aides", "clients"],
    "labor": ["temp workers", "day laborers", "warehouse workers", "restaurant workers", "domestic workers"],
    "legal": ["low-wage workers", "immigrant workers", "our clients"],
    "community": ["families we serve", "immigrant workers", "residents"],
    "research": ["low-wage workers", "contingent workers", "students who work"],
}
WORKERS_ES = [
    "trabajadores temporales",
    "jornaleros",
    "trabajadores de restaurantes",
    "trabajadores de almacenes",
]
PARTNERS = {
    "health": ["the worker centers", "the unions", "the labor groups in town"],
    "labor": ["the health department", "the hospitals", "the public health people"],
    "legal": ["the health department", "the clinics"],
    "community": ["the unions", "the health department"],
    "research": ["the unions", "the health department"],
}
PARTNERS_ES = ["el departamento de salud", "las clínicas", "el hospital"]


def _pick_sentence(rng: random.Random, bank: list[str], used: set[str]) -> str:
    fresh = [sentence for sentence in bank if sentence not in used]
    sentence = rng.choice(fresh or bank)
    used.add(sentence)
    return sentence


def _weighted_bank(
    rng: random.Random, choices: list[tuple[str, int]], banks: dict[str, list[str]], used: set[str]
) -> str:
    """A bank of the topic, by weight; banks whose every sentence is used already are left out
    while any other has a fresh one (a long interview repeats itself only when it must)."""
    available = [(bank, weight) for bank, weight in choices if bank in banks]
    fresh = [(bank, weight) for bank, weight in available if any(s not in used for s in banks[bank])]
    available = fresh or available
    return rng.choices([bank for bank, _ in available], [weight for _, weight in available])[0]


def generate(
    rng: random.Random,
    family: str,
    *,
    language: str = "en",
    target_words: int = 0,
    name_chance: float = 0.3,
) -> Transcript:
    """A transcript for an organization of `family` (a partners sector family).

    Five topics, each a question and an answer of 3-5 sentences, sometimes with a follow-up probe.
    With `target_words`, the topics are asked again (as a long interview would circle back) until
    the text reaches that many words; without it, a demo transcript has about 400-700 words.
    """
    profile = PROFILES[FAMILY_PROFILE.get(family, "community")]
    banks = BANKS[language]
    slots = {
        "workers": rng.choice(
            WORKERS_ES if language == "es" else WORKERS[FAMILY_PROFILE.get(family, "community")]
        ),
        "partner": rng.choice(
            PARTNERS_ES if language == "es" else PARTNERS[FAMILY_PROFILE.get(family, "community")]
        ),
    }
    parts: list[str] = []
    segments: list[Segment] = []
    length = 0
    answers = 0
    used: set[str] = set()

    def turn(speaker: str, sentences: list[tuple[str, str | None]]) -> None:
        nonlocal length, answers
        if parts:
            parts.append("\n\n")
            length += 2
        prefix = f"{speaker}: "
        parts.append(prefix)
        length += len(prefix)
        for index, (sentence, bank) in enumerate(sentences):
            if index:
                parts.append(" ")
                length += 1
            if bank is not None:
                segments.append(Segment(length, length + len(sentence), bank, answers))
            parts.append(sentence)
            length += len(sentence)
        if speaker != INTERVIEWER[language]:
            answers += 1

    def answer(topic: str, count: int) -> list[tuple[str, str | None]]:
        sentences: list[tuple[str, str | None]] = []
        for _ in range(count):
            bank = _weighted_bank(rng, profile[topic], banks, used)
            sentences.append((_pick_sentence(rng, banks[bank], used).format(**slots), bank))
        if rng.random() < 0.25:
            filler = rng.choice(FILLERS[language])
            if "{name}" in filler and rng.random() >= name_chance:
                filler = FILLERS[language][0]
            sentences.insert(
                rng.randint(0, len(sentences)), (filler.format(name=rng.choice(FIRST_NAMES)), None)
            )
        return sentences

    opening = rng.choice(OPENINGS[language])
    turn(INTERVIEWER[language], [(opening[0], None)])
    turn(RESPONDENT[language], [(opening[1], None)])
    words = 0
    while True:
        for topic in TOPICS:
            turn(INTERVIEWER[language], [(rng.choice(QUESTIONS[language][topic]), None)])
            turn(RESPONDENT[language], answer(topic, rng.randint(3, 5)))
            if rng.random() < 0.5:
                turn(INTERVIEWER[language], [(rng.choice(PROBES[language]), None)])
                turn(RESPONDENT[language], answer(topic, rng.randint(2, 3)))
        words = len("".join(parts).split())
        if words >= max(target_words, 350):
            break
    closing = rng.choice(CLOSINGS[language])
    turn(INTERVIEWER[language], [(closing[0], None)])
    turn(RESPONDENT[language], [(closing[1], None)])
    return Transcript(text="".join(parts), segments=segments, language=language)


INTERVIEWER = {"en": "Interviewer", "es": "Entrevistadora"}
RESPONDENT = {"en": "Respondent", "es": "Participante"}
