from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from healthywork.accounts import services
from healthywork.accounts.forms import (
    AcceptInvitationForm,
    InvitationForm,
    ProfileForm,
    TokenForm,
    UserChangeForm,
)
from healthywork.accounts.models import ApiToken, Invitation, User
from healthywork.accounts.roles import ROLE_DESCRIPTIONS, Role
from healthywork.core.permissions import ability_required, get_visible_or_404


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        # Start in the language the person chose in their profile.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.get_user().preferred_language)
        return response


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:profile")
)


def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.preferred_language)
        return response
    status = 400 if form.errors else 200
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@ability_required("users.manage")
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.order_by("username")
    return render(
        request,
        "accounts/user_list.html",
        {
            "users": users,
            "roles": Role.choices,
            "role_descriptions": ROLE_DESCRIPTIONS.items(),
        },
    )


@require_POST
@ability_required("users.manage")
def user_change(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(User, username=username)
    form = UserChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    elif user == request.user and (
        form.cleaned_data["role"] != Role.ADMINISTRATOR or not form.cleaned_data["is_active"]
    ):
        messages.error(request, _("You cannot remove your own administrator role or deactivate yourself."))
    else:
        services.change_user(
            user,
            role=form.cleaned_data["role"],
            is_active=form.cleaned_data["is_active"],
            by=request.user,
        )
        messages.success(request, _("%(user)s is saved.") % {"user": user.username})
    return redirect("accounts:user-list")


@ability_required("users.manage")
def invitation_list(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation, link = services.invite(
            form.cleaned_data["email"],
            form.cleaned_data["role"],
            by=request.user,
            base_url=request.build_absolute_uri("/"),
        )
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:invitation-list")
    invitations = Invitation.objects.visible_to(request.user).select_related("invited_by", "accepted_by")
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/invitation_list.html",
        {"form": form, "invitations": invitations},
        status=status,
    )


@require_POST
@ability_required("users.manage")
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_visible_or_404(Invitation, request.user, pk=pk, accepted_at__isnull=True)
    services.revoke_invitation(invitation, by=request.user)
    messages.success(request, _("The invitation is withdrawn."))
    return redirect("accounts:invitation-list")


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.find_open(token)
    if invitation is None:
        raise Http404(_("This invitation link is not valid any more."))
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.accept_invitation(
                invitation,
                username=data["username"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValueError as error:
            raise Http404(str(error)) from None
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to healthywork."))
        return redirect("core:home")
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=status,
    )


def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.issue_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    tokens = ApiToken.objects.visible_to(request.user)
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=status,
    )


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_visible_or_404(ApiToken, request.user, pk=pk)
    services.revoke_token(token, by=request.user)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:token-list")
