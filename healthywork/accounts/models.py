import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from healthywork.accounts.roles import Role, role_can


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def can(self, ability: str) -> bool:
        if not self.is_active:
            return False
        return self.is_superuser or role_can(self.role, ability)

    @property
    def is_administrator(self) -> bool:
        return self.can("users.manage")

    def display_name(self) -> str:
        return self.get_full_name() or self.username


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InvitationQuerySet":
        return self if user.can("users.manage") else self.none()

    def open(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An email link that lets a new person make an account with a given role."""

    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @classmethod
    def issue(cls, email: str, role: str, invited_by) -> tuple["Invitation", str]:
        """A new invitation and its raw token (only the hash is stored)."""
        raw = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            email=email,
            role=role,
            invited_by=invited_by,
            token_hash=_hash(raw),
            expires_at=timezone.now() + timedelta(days=settings.HEALTHYWORK_INVITATION_DAYS),
        )
        return invitation, raw

    @classmethod
    def find_open(cls, raw: str) -> "Invitation | None":
        return cls.objects.open().filter(token_hash=_hash(raw)).first()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApiTokenQuerySet":
        return self.filter(user=user) if user.is_authenticated else self.none()


class ApiToken(models.Model):
    """A personal API token. The raw token is shown once; only its hash is kept."""

    PREFIX = "hw_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, token_hash=_hash(raw), hint=raw[:7])
        return token, raw

    @classmethod
    def authenticate(cls, raw: str):
        """The active user behind a raw token, or None."""
        token = cls.objects.select_related("user").filter(token_hash=_hash(raw), user__is_active=True).first()
        if token is None:
            return None
        if token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=5):
            cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user
