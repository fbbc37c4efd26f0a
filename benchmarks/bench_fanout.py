"""Fan-out of one alert to many chats through the fake Bot API enforcing Telegram's limits:
messages/s achieved against the 30/s limit, the busiest second, and the number of 429s.

    python benchmarks/bench_fanout.py --chats 10000     # about 6 minutes at 28/s
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.delivery import Delivery  # noqa: E402
from bot.sending import make_delivery_bot  # noqa: E402
from bot.store import open_db  # noqa: E402
from bot.store.outbox import state_counts  # noqa: E402
from tests.bot.test_delivery import seed_alert, seed_chats  # noqa: E402
from tests.fakebotapi import FakeBotApi  # noqa: E402


async def fan_out(chats: int, groups: float) -> dict[str, float]:
    n_groups = int(chats * groups)
    ids = [(-1_000_000_000 - i, 0) for i in range(n_groups)]
    ids += [(1_000_000 + i, 0) for i in range(chats - n_groups)]
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi(enforce_limits=True) as api:
        db = open_db(Path(tmp) / "bench.db")
        seed_chats(db, ids)
        seed_alert(db, ids)
        bot = make_delivery_bot(api.token, api.base_url)
        async with bot:
            delivery = Delivery(db, bot)
            stop = asyncio.Event()
            started = time.monotonic()
            task = asyncio.create_task(delivery.run(stop))
            while state_counts(db).get("sent", 0) < chats and not task.done():
                await asyncio.sleep(0.5)
            stop.set()
            await task
        wall = time.monotonic() - started
        sends = sorted(c.at for c in api.calls_to("sendMessage"))
        busiest, j = 0, 0
        for i, t in enumerate(sends):  # most requests in any one-second window
            while sends[j] <= t - 1.0:
                j += 1
            busiest = max(busiest, i - j + 1)
        span = sends[-1] - sends[0] if len(sends) > 1 else 0.0
        return {
            "chats": chats, "groups": n_groups, "delivered": sum(map(len, api.messages.values())),
            "requests": len(sends), "seconds": round(wall, 1),
            "per_second": round((len(sends) - 1) / span, 2) if span else 0.0,
            "busiest_second": busiest, "too_many_requests": api.too_many_requests,
            "outbox": str(state_counts(db)),
        }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--chats", type=int, default=10_000, help="subscribed chats (default 10000)")
    p.add_argument("--groups", type=float, default=0.1, help="share of groups (default 0.1)")
    args = p.parse_args()
    result = asyncio.run(fan_out(args.chats, args.groups))
    for key, value in result.items():
        print(f"{key:>18}: {value}")
    print(f"{'limit':>18}: 30 messages/s overall (Telegram); delivery aims at 28")
    return 0 if result["too_many_requests"] == 0 and result["delivered"] == args.chats else 1


if __name__ == "__main__":
    sys.exit(main())
