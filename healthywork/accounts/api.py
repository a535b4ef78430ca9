from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from healthywork.accounts.models import ApiToken


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's session (with its CSRF check), so pages' scripts can call the API."""


router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    name: str
    email: str
    role: str
    abilities: list[str]


@router.get("/me", response=MeOut, summary="The signed-in user and what their role may do")
def me(request: HttpRequest):
    from healthywork.accounts.roles import ABILITIES

    user = request.auth
    abilities = sorted({a for role_abilities in ABILITIES.values() for a in role_abilities if user.can(a)})
    return {
        "username": user.username,
        "name": user.display_name(),
        "email": user.email,
        "role": user.role,
        "abilities": abilities,
    }
