"""ui/shared_cache.SharedCache: bounded, least recently used out first, one maker per key."""

import threading
import time

import pytest

from ui.shared_cache import SharedCache


def test_the_same_object_is_handed_out_and_the_least_recently_used_goes_first():
    cache = SharedCache(limit=2)
    first = cache.get_or_make("a", lambda: ["a"])
    assert cache.get_or_make("a", lambda: ["other"]) is first  # not made again, not copied
    cache.get_or_make("b", lambda: ["b"])
    cache.get_or_make("a", lambda: ["other"])  # a is now the most recently used
    cache.get_or_make("c", lambda: ["c"])
    assert list(cache) == ["a", "c"]  # b, the least recently used, is gone
    cache.forget()
    assert len(cache) == 0


def test_many_threads_asking_at_once_make_the_value_once():
    cache, made, start = SharedCache(limit=4), [], threading.Barrier(8)

    def make():
        made.append(1)
        time.sleep(0.05)  # long enough that the other seven ask while it is being made
        return "value"

    results = []

    def ask():
        start.wait()
        results.append(cache.get_or_make("key", make))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert made == [1] and results == ["value"] * 8


def test_a_failed_make_caches_nothing_and_the_next_ask_makes_it_anew():
    cache = SharedCache(limit=4)

    def broken():
        raise RuntimeError("damaged block")

    with pytest.raises(RuntimeError):
        cache.get_or_make("key", broken)
    assert "key" not in cache and not cache._making
    assert cache.get_or_make("key", lambda: 7) == 7


def test_with_a_weight_the_oldest_go_until_the_rest_fit_the_bytes():
    cache = SharedCache(limit=10, max_bytes=10, weigh=len)
    cache.get_or_make("a", lambda: "xxxx")
    cache.get_or_make("b", lambda: "xxxx")
    assert cache.bytes == 8
    cache.get_or_make("c", lambda: "xxxx")  # 12 bytes: a, the oldest, goes
    assert list(cache) == ["b", "c"] and cache.bytes == 8
    cache.forget()
    assert cache.bytes == 0
