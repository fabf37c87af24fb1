"""Webhooks: subscriptions to the change events, and the log of their deliveries (a write key for each)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import BaseModel, Field

from app.deps import RecordedWrite, SettingsDep, WriteKey, get_store
from app.dispatch import check_target
from app.routing import StrictJsonRoute
from app.versioning import location
from graph.events import EventFilter
from graph.models import jurisdiction_key
from graph.ports import Events
from graph.webhooks import Delivery, Webhook, WebhookDraft, new_webhook

router = APIRouter(route_class=StrictJsonRoute, prefix="/webhooks", tags=["webhooks"])

EventsDep = Annotated[Events, Depends(get_store)]
WebhookId = Annotated[str, Path(min_length=1, max_length=64, description="a webhook id")]
MAX_DELIVERIES_PAGE = 500


class WebhookOut(BaseModel):
    """A subscription as shown: its secret is never sent back."""

    id: str
    url: str
    filter: EventFilter
    created_at: str
    key_id: str | None = None


class WebhookList(BaseModel):
    items: list[WebhookOut]


class DeliveryList(BaseModel):
    items: list[Delivery] = Field(description="newest first")


def _out(hook: Webhook) -> WebhookOut:
    return WebhookOut.model_validate(hook.model_dump(exclude={"secret"}))


@router.post("", response_model=WebhookOut, status_code=status.HTTP_201_CREATED)
async def create_webhook(
    draft: WebhookDraft,
    request: Request,
    response: Response,
    store: EventsDep,
    settings: SettingsDep,
    change: RecordedWrite,
) -> WebhookOut:
    """Subscribe a URL to the events passing ``filter``; each delivery is signed with ``secret``.

    A URL whose host resolves to a private, loopback or link-local address is refused (422) unless the
    server allows it (LEXGRAPH_WEBHOOK_ALLOW_PRIVATE).
    """
    await check_target(draft.url, settings.webhook_allow_private)
    wanted = draft.filter
    if wanted.jurisdiction:
        draft = draft.model_copy(
            update={"filter": wanted.model_copy(update={"jurisdiction": jurisdiction_key(wanted.jurisdiction)})}
        )
    hook = new_webhook(draft, change.change.key_id)
    change.attempting([hook.id])
    await store.put_webhook(hook)
    await change.committed([hook.id])
    response.headers["Location"] = location(request, f"/webhooks/{hook.id}")
    return _out(hook)


@router.get("", response_model=WebhookList)
async def list_webhooks(store: EventsDep, _: WriteKey) -> WebhookList:
    """Every subscription, oldest first."""
    return WebhookList(items=[_out(h) for h in await store.list_webhooks()])


@router.get("/{hook_id}", response_model=WebhookOut)
async def get_webhook(hook_id: WebhookId, store: EventsDep, _: WriteKey) -> WebhookOut:
    return _out(await store.get_webhook(hook_id))


@router.delete("/{hook_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_webhook(hook_id: WebhookId, store: EventsDep, change: RecordedWrite) -> Response:
    """Remove a subscription and its pending deliveries."""
    change.attempting([hook_id])
    await store.delete_webhook(hook_id)
    await change.committed([hook_id])
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{hook_id}/deliveries", response_model=DeliveryList)
async def list_deliveries(
    hook_id: WebhookId,
    store: EventsDep,
    _: WriteKey,
    limit: Annotated[int, Query(ge=1, le=MAX_DELIVERIES_PAGE)] = 50,
) -> DeliveryList:
    """The delivery log of a subscription, newest first: status, attempts, the receiver's last answer."""
    await store.get_webhook(hook_id)
    return DeliveryList(items=await store.list_deliveries(hook_id, limit=limit))
