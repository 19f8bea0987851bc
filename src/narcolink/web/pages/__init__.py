"""Server-rendered pages. Every state-changing form on every page passes ``verify_csrf``,
attached once here to the whole router so that no form can forget it."""

from fastapi import APIRouter, Depends

from narcolink.web.deps import verify_csrf
from narcolink.web.pages import (
    account,
    admin,
    auth,
    chemistry,
    docs,
    imports,
    network,
    records,
    resolution,
)

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
for _module in (auth, records, imports, account, admin, docs, network, chemistry, resolution):
    router.include_router(_module.router)
