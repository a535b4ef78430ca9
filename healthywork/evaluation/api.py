"""The evaluation API: one router per area, joined here and mounted under /api/v1/."""

from ninja import Router

from healthywork.evaluation import api_administrations, api_indicators, api_instruments, api_results

router = Router(tags=["evaluation"])
router.add_router("", api_instruments.router)
router.add_router("", api_administrations.router)
router.add_router("", api_results.router)
router.add_router("", api_indicators.router)
