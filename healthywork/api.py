"""The JSON API under /api/v1/: one django-ninja router per app, token or session auth."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from healthywork.accounts.api import ApiTokenAuth, SessionAuth
from healthywork.accounts.api import router as accounts_router
from healthywork.catalog.api import router as catalog_router
from healthywork.evaluation.api import router as evaluation_router
from healthywork.implementation.api import router as implementation_router
from healthywork.network.api import router as network_router
from healthywork.partners.api import router as partners_router
from healthywork.planning.api import router as planning_router
from healthywork.scan.api import router as scan_router
from healthywork.training.api import router as training_router

api = NinjaAPI(
    title="healthywork API",
    version="1",
    description="Organizations, people and every later record of the program. "
    "Authenticate with `Authorization: Bearer <token>` (make one under Account > API tokens).",
    auth=[ApiTokenAuth(), SessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    # Name each field, as the forms do: {"detail": [{"field": "name", "message": "..."}]}.
    errors = []
    for error in exc.errors:
        location = [
            str(part) for part in error.get("loc", []) if part not in ("body", "payload", "query", "path")
        ]
        errors.append({"field": ".".join(location), "message": error.get("msg", "")})
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(request, {"detail": _("Authentication required.")}, status=401)


api.add_router("/accounts/", accounts_router)
api.add_router("/", partners_router)
api.add_router("/", catalog_router)
api.add_router("/", scan_router)
api.add_router("/", network_router)
api.add_router("/", planning_router)
api.add_router("/", implementation_router)
api.add_router("/", evaluation_router)
api.add_router("/", training_router)
