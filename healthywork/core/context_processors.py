from django.http import HttpRequest

from healthywork.core.cycle import STAGES


def navigation(request: HttpRequest) -> dict:
    return {"cycle_stages": STAGES}
