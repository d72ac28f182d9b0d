"""Compatibility scenarios driven through the official Centrifugo Python SDK (centrifuge-python) and API client
(cent), run by test/integration/python-sdk/*.test.ts against a Ringcast node or Centrifugo.

Usage: python scenarios.py <scenario>; the server and tokens come from the environment (see below). Prints one
JSON object with what the SDK observed and exits 0, or prints the failure and exits 1. Every wait has a deadline.
"""

import asyncio
import json
import os
import sys
import traceback

import cent
from centrifuge import (
    Client,
    ClientEventHandler,
    ClientState,
    StreamPosition,
    SubscriptionEventHandler,
    SubscriptionState,
)

WS_URL = os.environ["COMPAT_WS_URL"]
API_URL = os.environ["COMPAT_API_URL"]
API_KEY = os.environ["COMPAT_API_KEY"]
TOKENS = json.loads(os.environ.get("COMPAT_TOKENS", "{}"))
DEADLINE = 10.0


class Events:
    """Collects events and lets a scenario wait for one with a deadline."""

    def __init__(self):
        self.items = []
        self._changed = asyncio.Event()

    def add(self, kind, **fields):
        self.items.append({"kind": kind, **fields})
        self._changed.set()

    async def wait_for(self, predicate, what):
        async def loop():
            while True:
                for item in self.items:
                    if predicate(item):
                        return item
                self._changed.clear()
                await self._changed.wait()

        try:
            return await asyncio.wait_for(loop(), DEADLINE)
        except asyncio.TimeoutError:
            raise AssertionError(f"timed out waiting for {what}; events so far: {self.items}")


def client_handler(events):
    class Handler(ClientEventHandler):
        async def on_connected(self, ctx):
            events.add("connected", client=ctx.client)

        async def on_disconnected(self, ctx):
            events.add("disconnected", code=ctx.code, reason=ctx.reason)

        async def on_subscribed(self, ctx):
            events.add("server_subscribed", channel=ctx.channel)

        async def on_publication(self, ctx):
            events.add("server_publication", channel=ctx.channel, data=ctx.pub.data)

    return Handler()


def subscription_handler(events, name):
    class Handler(SubscriptionEventHandler):
        async def on_subscribed(self, ctx):
            events.add("subscribed", sub=name, recovered=ctx.recovered, was_recovering=ctx.was_recovering)

        async def on_unsubscribed(self, ctx):
            events.add("unsubscribed", sub=name, code=ctx.code, reason=ctx.reason)

        async def on_error(self, ctx):
            events.add("sub_error", sub=name, code=ctx.code, error=str(ctx.error))

        async def on_publication(self, ctx):
            events.add("publication", sub=name, data=ctx.pub.data, offset=ctx.pub.offset)

    return Handler()


async def connected_client(events, token):
    client = Client(WS_URL, events=client_handler(events), token=token, timeout=DEADLINE)
    await client.connect()
    await events.wait_for(lambda e: e["kind"] == "connected", "connected")
    return client


def api():
    return cent.Client(API_URL, API_KEY, timeout=DEADLINE)


# 1. cent batch: the client reads `replies` at the top level of the answer.
async def batch():
    with api() as c:
        result = c.batch(
            cent.BatchRequest(
                requests=[
                    cent.PublishRequest(channel="py-batch", data={"n": 1}),
                    cent.PublishRequest(channel="py-batch", data={"n": 2}),
                    cent.InfoRequest(),
                ]
            )
        )
    return {"replies": len(result.replies), "offsets": [getattr(r, "offset", None) for r in result.replies[:2]]}


# 2. history with limit -1: the whole stream, through the API client and the client SDK.
async def history_all():
    with api() as c:
        for i in range(1, 151):
            c.publish(cent.PublishRequest(channel="py-history", data={"i": i}))
        api_result = c.history(cent.HistoryRequest(channel="py-history", limit=-1))
    events = Events()
    client = await connected_client(events, TOKENS["alice"])
    try:
        sub = client.new_subscription("py-history", events=subscription_handler(events, "h"))
        await sub.subscribe()
        await events.wait_for(lambda e: e["kind"] == "subscribed", "subscribed")
        sdk_result = await sub.history(limit=-1)
    finally:
        await client.disconnect()
    return {
        "api": len(api_result.publications),
        "api_offset": api_result.offset,
        "sdk": len(sdk_result.publications),
        "sdk_first": sdk_result.publications[0].data if sdk_result.publications else None,
    }


# 3. subscription tokens: a wrongly signed or malformed one unsubscribes that subscription with 103 and the
#    connection lives on; an expired one gets a fresh token through get_token and subscribes.
async def subscription_tokens():
    events = Events()
    client = await connected_client(events, TOKENS["alice"])
    try:
        bad = client.new_subscription("$py-a", events=subscription_handler(events, "bad"), token=TOKENS["sub_wrong_key"])
        garbage = client.new_subscription("$py-b", events=subscription_handler(events, "garbage"), token="not.a.jwt")
        await bad.subscribe()
        await garbage.subscribe()
        bad_event = await events.wait_for(lambda e: e["kind"] == "unsubscribed" and e["sub"] == "bad", "bad token unsubscribe")
        garbage_event = await events.wait_for(
            lambda e: e["kind"] == "unsubscribed" and e["sub"] == "garbage", "malformed token unsubscribe"
        )

        async def fresh_token(channel):
            return TOKENS["sub_fresh"]

        expired = client.new_subscription(
            "$py-c", events=subscription_handler(events, "expired"), token=TOKENS["sub_expired"], get_token=fresh_token
        )
        await expired.subscribe()
        await events.wait_for(lambda e: e["kind"] == "subscribed" and e["sub"] == "expired", "resubscribe after 109")
        expired_errors = [e for e in events.items if e["kind"] == "sub_error" and e["sub"] == "expired"]
        state = client.state
        disconnects = [e for e in events.items if e["kind"] == "disconnected"]
    finally:
        await client.disconnect()
    return {
        "bad": bad_event["code"],
        "garbage": garbage_event["code"],
        "expired_errors": [e["error"] for e in expired_errors],
        "connected": state == ClientState.CONNECTED,
        "disconnects": disconnects,
    }


# 4. client.subscribe_to_user_personal_channel: the SDK sees a server-side subscription to the user's
#    personal channel and receives what the API publishes there.
async def personal_channel():
    events = Events()
    client = await connected_client(events, TOKENS["alice"])
    try:
        subscribed = await events.wait_for(lambda e: e["kind"] == "server_subscribed", "server-side subscription")
        with api() as c:
            c.publish(cent.PublishRequest(channel=subscribed["channel"], data={"to": "alice"}))
        publication = await events.wait_for(lambda e: e["kind"] == "server_publication", "personal publication")
    finally:
        await client.disconnect()
    return {"channel": subscribed["channel"], "data": publication["data"]}


# 5. get_state returning a position without an epoch (offset 0): the SDK subscribes with recover, offset 0 and an
#    empty epoch, and must receive the whole stream once instead of 112 again and again.
async def recover_empty_epoch():
    with api() as c:
        for i in range(1, 4):
            c.publish(cent.PublishRequest(channel="py-recover", data={"i": i}))
    events = Events()
    calls = []

    async def get_state(channel):
        calls.append(channel)
        return StreamPosition(offset=0, epoch="")

    client = await connected_client(events, TOKENS["alice"])
    try:
        sub = client.new_subscription(
            "py-recover", events=subscription_handler(events, "r"), recoverable=True, get_state=get_state
        )
        await sub.subscribe()
        subscribed = await events.wait_for(lambda e: e["kind"] == "subscribed", "subscribed")
        await events.wait_for(lambda e: e["kind"] == "publication" and e["data"] == {"i": 3}, "third publication")
        await asyncio.sleep(0)  # let the SDK run any resubscribe it scheduled
        state = sub.state
    finally:
        await client.disconnect()
    return {
        "get_state_calls": len(calls),
        "recovered": subscribed["recovered"],
        "publications": [e["data"] for e in events.items if e["kind"] == "publication"],
        "subscribed": state == SubscriptionState.SUBSCRIBED,
    }


SCENARIOS = {
    "batch": batch,
    "history_all": history_all,
    "subscription_tokens": subscription_tokens,
    "personal_channel": personal_channel,
    "recover_empty_epoch": recover_empty_epoch,
}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in SCENARIOS:
        print(f"usage: scenarios.py {{{','.join(SCENARIOS)}}}", file=sys.stderr)
        sys.exit(2)
    try:
        result = asyncio.run(asyncio.wait_for(SCENARIOS[sys.argv[1]](), 4 * DEADLINE))
    except Exception:
        traceback.print_exc()
        sys.exit(1)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
