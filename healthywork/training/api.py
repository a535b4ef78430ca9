"""The training API: one router per area, joined here and mounted under /api/v1/."""

from ninja import Router

from healthywork.training import api_records, api_trainings

router = Router(tags=["training"])
router.add_router("", api_trainings.router)
router.add_router("", api_records.router)
