"""The implementation API: one router per area, joined here and mounted under /api/v1/."""

from ninja import Router

from healthywork.implementation import api_money, api_overview, api_progress

router = Router(tags=["implementation"])
router.add_router("", api_money.router)
router.add_router("", api_progress.router)
router.add_router("", api_overview.router)
