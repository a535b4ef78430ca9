"""Account writes: each one transaction and one audit event."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from healthywork.accounts.models import ApiToken, Invitation, User
from healthywork.core import audit


@transaction.atomic
def invite(email: str, role: str, *, by: User, base_url: str) -> tuple[Invitation, str]:
    """Create an invitation and email its link; returns the invitation and the link."""
    invitation, raw = Invitation.issue(email, role, by)
    link = base_url.rstrip("/") + reverse("accounts:invitation-accept", args=[raw])
    audit.record(by, "create", invitation)
    subject = _("You are invited to healthywork")
    body = _(
        "%(inviter)s invites you to healthywork as %(role)s.\n\n"
        "Open this link to choose your user name and password (it works until %(expires)s):\n"
        "%(link)s\n"
    ) % {
        "inviter": by.display_name(),
        "role": invitation.get_role_display(),
        "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d"),
        "link": link,
    }
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation, link


@transaction.atomic
def accept_invitation(
    invitation: Invitation,
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Make the invited person's account with the invitation's role; the link is then spent."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ValueError(_("This invitation has already been used or has expired."))
    user = User(
        username=username,
        email=locked.email,
        role=locked.role,
        first_name=first_name,
        last_name=last_name,
    )
    user.set_password(password)
    user.save()
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(user, "create", user, {"role": [None, user.role]}, note=_("invitation accepted"))
    return user


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by: User) -> None:
    audit.record(by, "delete", invitation)
    invitation.delete()


@transaction.atomic
def change_user(user: User, *, role: str, is_active: bool, by: User) -> User:
    before = {"role": user.role, "is_active": user.is_active}
    user.role = role
    user.is_active = is_active
    user.save(update_fields=["role", "is_active"])
    changes = audit.diff(before, {"role": role, "is_active": is_active})
    if changes:
        audit.record(by, "change", user, changes)
    return user


@transaction.atomic
def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    token, raw = ApiToken.issue(user, name)
    audit.record(user, "create", token)
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> None:
    audit.record(by, "delete", token)
    token.delete()
