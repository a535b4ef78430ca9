"""Filled by the area's author."""

from ninja import Router

router = Router()
