"""The HTTP API under /api/v1: thin routes over the services, public shapes only."""

from fastapi import APIRouter

from narcolink.web.api import admin, auth, chemistry, data, network, records, resolution, sharing

PROBLEM = {
    "description": "An RFC 9457 problem: type, title, status, detail",
    "content": {"application/problem+json": {}},
}
router = APIRouter(
    prefix="/api/v1",
    responses={400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM},
)
for _module in (auth, records, sharing, data, admin, network, chemistry, resolution):
    router.include_router(_module.router)
