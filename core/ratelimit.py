"""Rate limits shared by every process through Redis, with in-process stand-ins for the embedded default.

- Outbound: at most `rate` messages per second to the Graph API for one business number, however many
  workers send (WhatsApp throttles the number, not the process). `RedisTokenBucket` has the same
  `acquire()` as the in-process `TokenBucket`.
- Inbound: at most `limit` messages per citizen per minute are answered. The window is counted on the
  messages' own WhatsApp timestamps and each message id counts once, so retries and redeliveries never use
  up a citizen's allowance, and a backlog worked off late is judged by when the citizen wrote.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class TokenBucket:
    def __init__(self, rate: float, burst: float | None = None,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.rate = rate
        self.capacity = burst if burst is not None else max(1.0, rate)
        self._tokens = self.capacity
        self._clock, self._sleep = clock, sleep
        self._last = clock()
        self._lock = threading.Lock()

    def _reserve(self) -> float:
        """Take one token, returning how long the caller must wait before using it."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def acquire(self) -> float:
        wait = self._reserve()
        if wait > 0:
            self._sleep(wait)
        return wait


log = logging.getLogger(__name__)

WINDOW_S = 60

# Take one token; answer how long the caller must wait before using it (as a string: Lua floats would be
# truncated to integers on the way out).
_TAKE_TOKEN = """
local rate, capacity = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate) - 1
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
if tokens >= 0 then return '0' end
return tostring(-tokens / rate)
"""

# Record one message (once per id) and count the citizen's messages in the window ending at its timestamp.
_COUNT_MESSAGE = """
local at, window = tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], 'NX', at, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', at - 2 * window)
redis.call('EXPIRE', KEYS[1], 2 * window + 60)
return redis.call('ZCOUNT', KEYS[1], at - window + 1, at)
"""


def redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)


class RedisTokenBucket:
    """A token bucket whose state lives in Redis; if Redis cannot be reached, a local bucket keeps the pace
    for this process alone (sending is never stopped by a rate-limit store)."""

    def __init__(self, redis, key: str, rate: float, burst: float | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.redis, self.key, self.rate = redis, key, rate
        self.capacity = burst if burst is not None else max(1.0, rate)
        self._take = redis.register_script(_TAKE_TOKEN)
        self._fallback = TokenBucket(rate, burst)
        self._sleep = sleep

    def _reserve(self) -> float:
        try:
            return float(self._take(keys=[self.key], args=[self.rate, self.capacity]))
        except Exception as exc:  # noqa: BLE001 - any Redis failure: keep sending at the local pace
            log.warning("shared rate limit unavailable (%s); using this process's own", type(exc).__name__)
            return self._fallback._reserve()

    def acquire(self) -> float:
        wait = self._reserve()
        if wait > 0:
            self._sleep(wait)
        return wait


@dataclass
class Verdict:
    allowed: bool
    tell_citizen: bool = False  # the first refused message in a window gets one polite notice
    count: int = 0


class InboundLimit(Protocol):
    def check(self, citizen: str, message_id: str, at: float) -> Verdict: ...


def _verdict(count: int, limit: int) -> Verdict:
    return Verdict(allowed=count <= limit, tell_citizen=count == limit + 1, count=count)


class RedisInboundLimit:
    def __init__(self, redis, limit: int, window_s: int = WINDOW_S, prefix: str = "mitra:inbound:"):
        self.redis, self.limit, self.window_s, self.prefix = redis, limit, window_s, prefix
        self._count = redis.register_script(_COUNT_MESSAGE)

    def check(self, citizen: str, message_id: str, at: float) -> Verdict:
        try:
            count = int(self._count(keys=[self.prefix + citizen], args=[message_id, int(at), self.window_s]))
        except Exception as exc:  # noqa: BLE001 - a citizen is never refused because Redis is away
            log.warning("inbound rate limit unavailable (%s); letting the message through",
                        type(exc).__name__)
            return Verdict(allowed=True)
        return _verdict(count, self.limit)


class MemoryInboundLimit:
    """The same rule inside one process (the embedded default, one worker)."""

    def __init__(self, limit: int, window_s: int = WINDOW_S):
        self.limit, self.window_s = limit, window_s
        self._seen: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()

    def check(self, citizen: str, message_id: str, at: float) -> Verdict:
        at = int(at)
        with self._lock:
            seen = self._seen.setdefault(citizen, {})
            seen.setdefault(message_id, at)
            for old in [m for m, t in seen.items() if t <= at - 2 * self.window_s]:
                del seen[old]
            count = sum(1 for t in seen.values() if at - self.window_s < t <= at)
        return _verdict(count, self.limit)


class NoInboundLimit:
    def check(self, citizen: str, message_id: str, at: float) -> Verdict:
        return Verdict(allowed=True)


def inbound_limit(redis_url: str, per_minute: int) -> InboundLimit:
    if per_minute <= 0:
        return NoInboundLimit()
    if redis_url:
        return RedisInboundLimit(redis_client(redis_url), per_minute)
    return MemoryInboundLimit(per_minute)


def outbound_bucket(redis_url: str, phone_number_id: str, rate_per_s: float):
    if redis_url:
        return RedisTokenBucket(redis_client(redis_url), f"mitra:outbound:{phone_number_id}", rate_per_s)
    return TokenBucket(rate_per_s)
