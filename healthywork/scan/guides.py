"""Interview guides: the environmental scan's guide as seed data, versions, and edits of topics and
questions. Each write is one transaction with one audit event.

A guide's content is research data written by the team, not interface text: it is stored as typed
(here in English) and is not translated through gettext.
"""

from typing import Any

from django.db import transaction
from django.db.models import Max

from healthywork.core import audit
from healthywork.scan.models import InterviewGuide, Project, Question, Topic

SCAN_GUIDE_TITLE = "Environmental scan interview guide"

SCAN_GUIDE_INTRODUCTION = (
    "Thank you for talking with us. We are mapping what organizations in our region do about "
    "precarious work and its effects on health: the work you do, who you work with, and where you see "
    "room to act together. The conversation takes about an hour. You may skip any question, and we "
    "will not name you or your organization in anything we publish without your permission."
)

# (topic, [(question, probes one per line), ...]) in the order of the conversation.
SCAN_GUIDE: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Strengths, opportunities, challenges and threats",
        [
            (
                "How does precarious work show up in the lives of the people your organization serves?",
                "Unpredictable schedules, temporary or gig work, low pay\n"
                "Which groups of workers are most affected?\nHow has this changed in recent years?",
            ),
            (
                "What does your organization do well when it comes to work and health?",
                "Programs, services or campaigns you are proud of\nWhat makes them work?",
            ),
            (
                "Where do you see openings right now to improve working conditions in our region?",
                "New funding, new allies, public attention, upcoming elections",
            ),
            (
                "What gets in the way of your work on these issues?",
                "Staff time and money\nFear of retaliation among workers\nLegal or political limits",
            ),
            (
                "What could undo the progress that has been made?",
                "Pre-emption by the state, loss of funding, employer pushback",
            ),
        ],
    ),
    (
        "Business and employment networks",
        [
            (
                "Which employers, industries or staffing agencies do the workers you serve depend on?",
                "Temporary staffing agencies\nWarehousing, food service, home care, construction",
            ),
            (
                "Do you work with employers or business associations? In what way?",
                "Training partnerships, workplace wellness, hiring programs\nWhat made it possible?",
            ),
            (
                "Who else do you partner with on work and health, and what does that partnership look like?",
                "Unions, worker centers, clinics, health departments, schools\n"
                "Sharing information, referrals, joint projects, shared funding",
            ),
            (
                "Which organizations would you like to work with but do not yet?",
                "What stands in the way?",
            ),
        ],
    ),
    (
        "Policy proposals under way",
        [
            (
                "Which public policies that affect workers' health is your organization working on?",
                "Local ordinances, state bills, agency rules\n"
                "Fair scheduling, paid sick time, wage theft, heat",
            ),
            (
                "Has your organization changed its own internal policies to support healthy work?",
                "Hiring, scheduling, pay, leave, benefits for your own staff",
            ),
            (
                "What role does your organization play in these policy efforts?",
                "Leading, testifying, providing data, mobilizing members, endorsing",
            ),
            (
                "Which policy change would make the biggest difference, and who would need to act on it?",
                "Decision makers, allies, opponents",
            ),
        ],
    ),
    (
        "Initiatives that build workers' skills and knowledge",
        [
            (
                "What trainings or education does your organization offer to workers?",
                "Know-your-rights, health and safety, job skills, leadership\nLanguages offered",
            ),
            (
                "Who delivers these trainings, and how do workers find out about them?",
                "Peer trainers, promotoras, partner organizations",
            ),
            (
                "How do you know whether a training made a difference?",
                "Evaluations, follow-up, changes at the workplace",
            ),
            (
                "What do workers ask to learn that no one offers yet?",
                "Topics, formats, times of day, locations",
            ),
        ],
    ),
    (
        "Communication channels",
        [
            (
                "How do you reach the workers and communities you serve?",
                "Text messages, social media, radio, community meetings, churches, flyers",
            ),
            (
                "Which channels work best for workers with irregular hours or limited English?",
                "What have you tried that did not work?",
            ),
            (
                "How do you share what you learn with other organizations or decision makers?",
                "Reports, coalitions, newsletters, conferences",
            ),
            (
                "Is there anyone else we should talk with for this scan?",
                "Organizations or people, and how best to reach them",
            ),
        ],
    ),
]


@transaction.atomic
def seed_scan_guide(project: Project, by: Any = None) -> InterviewGuide:
    """Create the environmental scan's guide (five topics with open questions and probes) in the
    project, as version 1 or, if that title exists already, as the next version."""
    last = project.guides.filter(title=SCAN_GUIDE_TITLE).aggregate(last=Max("version"))["last"] or 0
    guide = InterviewGuide.objects.create(
        project=project, title=SCAN_GUIDE_TITLE, version=last + 1, introduction=SCAN_GUIDE_INTRODUCTION
    )
    for topic_position, (topic_title, questions) in enumerate(SCAN_GUIDE, start=1):
        topic = Topic.objects.create(guide=guide, title=topic_title, position=topic_position)
        Question.objects.bulk_create(
            [
                Question(topic=topic, text=text, probes=probes, position=position)
                for position, (text, probes) in enumerate(questions, start=1)
            ]
        )
    audit.record(by, "create", guide, audit.diff({}, audit.snapshot(guide)), note="environmental scan guide")
    return guide


@transaction.atomic
def new_guide_version(guide: InterviewGuide, by: Any) -> InterviewGuide:
    """A copy of the guide's topics and questions as the next version of its title."""
    last = guide.project.guides.filter(title=guide.title).aggregate(last=Max("version"))["last"]
    copy = InterviewGuide.objects.create(
        project=guide.project, title=guide.title, version=last + 1, introduction=guide.introduction
    )
    for topic in guide.topics.prefetch_related("questions"):
        new_topic = Topic.objects.create(guide=copy, title=topic.title, position=topic.position)
        Question.objects.bulk_create(
            [
                Question(
                    topic=new_topic, text=question.text, probes=question.probes, position=question.position
                )
                for question in topic.questions.all()
            ]
        )
    audit.record(
        by, "create", copy, audit.diff({}, audit.snapshot(copy)), note=f"copy of version {guide.version}"
    )
    return copy


@transaction.atomic
def save_guide(guide: InterviewGuide, *, by: Any) -> InterviewGuide:
    is_new = guide.pk is None
    before = {} if is_new else audit.snapshot(InterviewGuide.objects.get(pk=guide.pk))
    guide.save()
    changes = audit.diff(before, audit.snapshot(guide))
    if is_new or changes:
        audit.record(by, "create" if is_new else "change", guide, changes)
    return guide


@transaction.atomic
def delete_guide(guide: InterviewGuide, *, by: Any) -> None:
    """Remove a guide with its topics and questions; interviews that used it keep no guide."""
    audit.record(by, "delete", guide, audit.diff(audit.snapshot(guide), {}))
    guide.delete()


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def save_topic(topic: Topic, *, by: Any) -> Topic:
    is_new = topic.pk is None
    before = {} if is_new else audit.snapshot(Topic.objects.get(pk=topic.pk))
    if is_new:
        topic.position = _next_position(topic.guide.topics.all())
    topic.save()
    audit.record(by, "create" if is_new else "change", topic, audit.diff(before, audit.snapshot(topic)))
    return topic


@transaction.atomic
def save_question(question: Question, *, by: Any) -> Question:
    is_new = question.pk is None
    before = {} if is_new else audit.snapshot(Question.objects.get(pk=question.pk))
    if is_new:
        question.position = _next_position(question.topic.questions.all())
    question.save()
    audit.record(by, "create" if is_new else "change", question, audit.diff(before, audit.snapshot(question)))
    return question


@transaction.atomic
def delete_item(item: Topic | Question, *, by: Any) -> None:
    """Remove a topic (with its questions) or a question."""
    audit.record(by, "delete", item, audit.diff(audit.snapshot(item), {}))
    item.delete()


@transaction.atomic
def move_item(item: Topic | Question, direction: str, *, by: Any) -> bool:
    """Swap a topic or question with its neighbour above ("up") or below ("down"); False at an end."""
    siblings = list(item.guide.topics.all() if isinstance(item, Topic) else item.topic.questions.all())
    index = next(position for position, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        return False
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    audit.record(by, "change", item, {"position": [index + 1, other_index + 1]}, note=f"moved {direction}")
    return True
