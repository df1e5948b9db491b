"""The account cache: bounded in size and in age, refreshed by writes."""

from __future__ import annotations

from bot.storage.accounts import Account, AccountCache


def profile(user_id: int, language: str = "en") -> Account:
    return Account(user_id, user_id, "A", language, "UTC", "classic", False)


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_the_ttl():
    ticks = Ticks()
    cache = AccountCache(ttl_s=60, clock=ticks)
    cache.put(profile(1))
    ticks.now = 59.9
    assert cache.get(1) == profile(1)
    ticks.now = 60.1
    assert cache.get(1) is None
    assert len(cache) == 0


def test_the_least_recently_used_entry_goes_first():
    cache = AccountCache(max_entries=2, clock=Ticks())
    cache.put(profile(1))
    cache.put(profile(2))
    assert cache.get(1) is not None  # 1 is now the most recently used
    cache.put(profile(3))
    assert cache.get(2) is None and cache.get(1) is not None and cache.get(3) is not None
    assert len(cache) == 2


def test_a_put_replaces_and_forget_removes():
    cache = AccountCache(clock=Ticks())
    cache.put(profile(1))
    cache.put(profile(1, language="de"))
    assert cache.get(1).language == "de"
    cache.forget(1)
    cache.forget(1)
    assert cache.get(1) is None
