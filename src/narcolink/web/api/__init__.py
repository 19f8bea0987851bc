"""The HTTP API under /api/v1: thin routes over the services, public shapes only."""

from fastapi import APIRouter

from narcolink.web.api import admin, auth, data, records, sharing

router = APIRouter(prefix="/api/v1")
for _module in (auth, records, sharing, data, admin):
    router.include_router(_module.router)
