"""The environmental scan: projects, interview guides, interviews, documents, the codebook, codings
(coded spans with their coder), memos, blind coding rounds, and links from quotes to the catalog.

A coding is a span of a document's `text` given as character offsets (`start_offset` inclusive,
`end_offset` exclusive, counted in Unicode code points, as Python slices and REFI-QDA count them)
plus a copied `snippet`, as Taguette keeps them. Every coding records its coder.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from healthywork.catalog.models import Initiative
from healthywork.partners.models import Organization, Person

colour_validator = RegexValidator(
    r"^#[0-9A-Fa-f]{6}$", _("Enter a colour as # followed by six hexadecimal digits, like #1f77b4.")
)


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectQuerySet":
        """Research data: administrators see every project, other people the projects they belong to."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.can("scan.manage"):
            return self
        return self.filter(members__user=user).distinct()


class Project(models.Model):
    """One scan (or any qualitative study): its interviews, documents, codebook and rounds."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    keep_originals = models.BooleanField(
        _("keep originals after de-identification"),
        default=True,
        help_text=_(
            "When on, the text before de-identification is kept for administrators only; "
            "when off, it is discarded."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("scan project")
        verbose_name_plural = _("scan projects")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("scan:project-detail", args=[self.public_id])

    def membership(self, user) -> "ProjectMember | None":
        if not getattr(user, "is_authenticated", False):
            return None
        return self.members.filter(user=user).first()

    def can_manage(self, user) -> bool:
        """Guides, interviews, documents, codebook, rounds and members: administrators and leads."""
        if not getattr(user, "is_authenticated", False):
            return False
        if user.can("scan.manage"):
            return True
        member = self.membership(user)
        return member is not None and member.role == ProjectRole.LEAD

    def can_code(self, user) -> bool:
        """Apply codes and write memos: leads and coders (and administrators)."""
        if not getattr(user, "is_authenticated", False):
            return False
        if user.can("scan.manage"):
            return True
        member = self.membership(user)
        return member is not None and member.role in (ProjectRole.LEAD, ProjectRole.CODER)

    def can_read_originals(self, user) -> bool:
        """The text before de-identification: administrators only."""
        return getattr(user, "is_authenticated", False) and user.can("scan.manage")


class ProjectRole(models.TextChoices):
    LEAD = "lead", _("Lead researcher")
    CODER = "coder", _("Coder")
    READER = "reader", _("Reader")


class ProjectMember(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scan_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=ProjectRole.choices, default=ProjectRole.CODER)

    class Meta:
        ordering = ["project", "user__username"]
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="scan_member_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Pseudonym(models.Model):
    """A name and the pseudonym that replaces it in every document of the project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="pseudonyms")
    name = models.CharField(_("name"), max_length=200)
    pseudonym = models.CharField(_("pseudonym"), max_length=200)

    class Meta:
        ordering = ["project", "name"]
        verbose_name = _("pseudonym")
        verbose_name_plural = _("pseudonyms")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="scan_pseudonym_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} → {self.pseudonym}"


class InterviewGuide(models.Model):
    """A versioned interview guide; a new version copies the topics and questions of the last."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="guides")
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    introduction = models.TextField(_("introduction"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "title", "-version"]
        verbose_name = _("interview guide")
        verbose_name_plural = _("interview guides")
        constraints = [
            models.UniqueConstraint(fields=["project", "title", "version"], name="scan_guide_version_unique")
        ]

    def __str__(self) -> str:
        return _("%(title)s, version %(version)s") % {"title": self.title, "version": self.version}

    def get_absolute_url(self) -> str:
        return reverse("scan:guide-detail", args=[self.public_id])


class Topic(models.Model):
    guide = models.ForeignKey(InterviewGuide, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("topic"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["guide", "position", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    probes = models.TextField(_("probes"), blank=True, help_text=_("Follow-up prompts, one per line."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["topic", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]


class InterviewMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    WRITTEN = "written", _("Written answers")


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", pgettext_lazy("interview status", "Done")
    TRANSCRIBED = "transcribed", _("Transcribed")
    CODED = "coded", _("Coded")


class InterviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InterviewQuerySet":
        return self.filter(project__in=Project.objects.visible_to(user))


class Interview(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="interviews")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="interviews"
    )
    interviewees = models.ManyToManyField(
        Person, verbose_name=_("interviewees"), blank=True, related_name="interviews"
    )
    interviewee_note = models.CharField(
        _("other interviewees"),
        max_length=300,
        blank=True,
        help_text=_("Roles or names of interviewees who are not in the registry."),
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interviews_conducted",
    )
    scheduled_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    mode = models.CharField(
        _("mode"), max_length=20, choices=InterviewMode.choices, default=InterviewMode.PHONE
    )
    guide = models.ForeignKey(
        InterviewGuide,
        verbose_name=_("interview guide"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interviews",
    )
    consent_recorded = models.BooleanField(_("consent recorded"), default=False)
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_at", "id"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["scheduled_at"])]

    def __str__(self) -> str:
        when = self.scheduled_at.date().isoformat() if self.scheduled_at else _("not scheduled")
        return f"{self.organization} ({when})"

    def get_absolute_url(self) -> str:
        return reverse("scan:interview-detail", args=[self.public_id])

    def clean(self) -> None:
        if self.consent_date and not self.consent_recorded:
            raise ValidationError({"consent_recorded": _("A consent date is given: tick consent recorded.")})
        if self.consent_recorded and not self.consent_date:
            raise ValidationError({"consent_date": _("Give the date consent was recorded.")})


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    OTHER = "other", _("Other")


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentQuerySet":
        return self.filter(project__in=Project.objects.visible_to(user))


def original_upload_path(document: "Document", filename: str) -> str:
    return f"scan/originals/{document.public_id}/{filename}"


class Document(models.Model):
    """A transcript or other text. `text` is what is coded (de-identified when the tool has run);
    `original_text` keeps the text before de-identification for administrators, or is empty."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    interview = models.ForeignKey(
        Interview,
        verbose_name=_("interview"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=250)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    text = models.TextField(_("text"))
    original_text = models.TextField(_("text before de-identification"), blank=True)
    original_file = models.FileField(_("original file"), upload_to=original_upload_path, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    is_deidentified = models.BooleanField(_("de-identified"), default=False)
    word_count = models.PositiveIntegerField(_("words"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["project", "title"]),
            # Covers the project's documents in title order with their interview: on SQLite the
            # interview column sits after the long texts, so reading it from the table walks
            # each text's overflow pages (the segments page orders every document this way).
            models.Index(fields=["project", "title", "interview"], name="scan_document_order_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scan:document-code", args=[self.public_id])

    def save(self, *args, **kwargs):
        self.word_count = len(self.text.split())
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"word_count"}
        super().save(*args, **kwargs)

    @property
    def organization(self) -> Organization | None:
        return self.interview.organization if self.interview_id else None


class CodeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CodeQuerySet":
        return self.filter(project__in=Project.objects.visible_to(user))


class Code(models.Model):
    """A code of the codebook tree. `public_id` is its REFI-QDA guid."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent code"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    when_to_use = models.TextField(_("when to use"), blank=True)
    when_not_to_use = models.TextField(_("when not to use"), blank=True)
    example = models.TextField(_("example"), blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#1f77b4", validators=[colour_validator])
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CodeQuerySet.as_manager()

    class Meta:
        ordering = ["project", "position", "name"]
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "parent", "name"], name="scan_code_unique_among_siblings"
            ),
            models.UniqueConstraint(
                fields=["project", "name"],
                condition=Q(parent__isnull=True),
                name="scan_code_unique_at_top",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("scan:code-detail", args=[self.public_id])

    def ancestors(self) -> list["Code"]:
        """From the top of the tree down to the parent (one query per level; trees are shallow)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def path(self) -> str:
        return " › ".join([*(code.name for code in self.ancestors()), self.name])

    def clean(self) -> None:
        if self.parent_id and self.pk:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("A code cannot be placed under itself.")})
                node = node.parent
        if self.parent_id and self.parent.project_id != self.project_id:
            raise ValidationError({"parent": _("The parent code belongs to another project.")})


class RoundUnit(models.TextChoices):
    SENTENCE = "sentence", _("Sentence")
    PARAGRAPH = "paragraph", _("Paragraph")


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("round status", "Open")
    CLOSED = "closed", pgettext_lazy("round status", "Closed")


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RoundQuerySet":
        return self.filter(project__in=Project.objects.visible_to(user))


class Round(models.Model):
    """A blind coding round: named coders code a set of documents, and each sees only their own
    codings on those documents until the round closes; then agreement is compared."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("name"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    unit = models.CharField(
        _("unit of agreement"), max_length=20, choices=RoundUnit.choices, default=RoundUnit.SENTENCE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    documents = models.ManyToManyField(Document, verbose_name=_("documents"), related_name="rounds")
    coders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("coders"), related_name="coding_rounds"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "id"]
        verbose_name = _("coding round")
        verbose_name_plural = _("coding rounds")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("scan:round-detail", args=[self.public_id])

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class CodingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CodingQuerySet":
        """Codings of visible projects, minus other coders' codings on documents of an open round
        in which `user` is a coder (blind coding)."""
        visible = self.filter(document__project__in=Project.objects.visible_to(user))
        if not getattr(user, "is_authenticated", False):
            return visible
        blind_documents = Document.objects.filter(
            rounds__status=RoundStatus.OPEN, rounds__coders=user
        ).values("pk")
        return visible.exclude(Q(document__in=blind_documents) & ~Q(coder=user))


class Coding(models.Model):
    """A code applied by a coder to the characters [start_offset, end_offset) of a document."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("coder"), on_delete=models.PROTECT, related_name="codings"
    )
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="codings")
    is_consensus = models.BooleanField(_("consensus coding"), default=False)
    start_offset = models.PositiveIntegerField(_("start"))
    end_offset = models.PositiveIntegerField(_("end"))
    snippet = models.TextField(_("quote"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CodingQuerySet.as_manager()

    class Meta:
        ordering = ["document", "start_offset", "end_offset", "id"]
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        indexes = [
            models.Index(fields=["document", "start_offset"]),
            models.Index(fields=["code", "document"]),
            models.Index(fields=["coder", "document"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_offset__gt=models.F("start_offset")), name="coding_not_empty"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.snippet[:60]}"

    def clean(self) -> None:
        if self.document_id and self.end_offset is not None and self.end_offset > len(self.document.text):
            raise ValidationError({"end_offset": _("The coding ends after the end of the document.")})
        if (
            self.start_offset is not None
            and self.end_offset is not None
            and self.end_offset <= self.start_offset
        ):
            raise ValidationError({"end_offset": _("The coding must end after it starts.")})
        if self.code_id and self.document_id and self.code.project_id != self.document.project_id:
            raise ValidationError({"code": _("The code belongs to another project.")})

    def refresh_snippet(self) -> None:
        self.snippet = self.document.text[self.start_offset : self.end_offset]


class Memo(models.Model):
    """A note on a document, a coding or a code."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memos")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="memos"
    )
    coding = models.ForeignKey(Coding, null=True, blank=True, on_delete=models.CASCADE, related_name="memos")
    code = models.ForeignKey(Code, null=True, blank=True, on_delete=models.CASCADE, related_name="memos")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scan_memos")
    text = models.TextField(_("memo"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("memo")
        verbose_name_plural = _("memos")

    def __str__(self) -> str:
        return self.text[:60]


class QuoteLink(models.Model):
    """A coded segment that an initiative of the catalog came from (its source)."""

    coding = models.ForeignKey(Coding, on_delete=models.CASCADE, related_name="initiative_links")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="quote_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("quote link")
        verbose_name_plural = _("quote links")
        constraints = [models.UniqueConstraint(fields=["coding", "initiative"], name="scan_quote_link_once")]

    def __str__(self) -> str:
        return f"{self.initiative} ← {self.coding}"
