"""JSON API routes of this app (mounted under /api/ by ``lvzhi.api``)."""

from ninja import Router

router = Router()
