"""core.keys: new row keys are version-7 UUIDs, unique, and ordered by the time they were made."""

import time
import uuid

from bake_tracker.core import keys


def _fixed(monkeypatch, *, ns: int, raw: bytes) -> None:
    monkeypatch.setattr(keys.time, "time_ns", lambda: ns)
    monkeypatch.setattr(keys.os, "urandom", lambda n: raw[:n])


def test_a_key_is_the_text_of_the_version_7_uuid_of_its_time_and_random_bits(monkeypatch):
    """Exactly what ``uuid.UUID`` makes of the same 48 time bits and 74 random bits, for the
    extreme bit patterns and for any bytes."""
    for ms, raw in [
        (0, bytes(10)),
        (2**48 - 1, b"\xff" * 10),
        (1_796_000_000_123, bytes(range(10))),
    ]:
        _fixed(monkeypatch, ns=ms * 1_000_000 + 999_999, raw=raw)
        text = keys.new_uuid()
        bits = int.from_bytes(raw, "big")  # 80: the key keeps 12, skips 2 for the variant, keeps 62
        rand_a, rand_b = bits >> 68, bits >> 4 & (2**62 - 1)
        expected = uuid.UUID(int=ms << 80 | 7 << 76 | rand_a << 64 | 2 << 62 | rand_b)
        assert text == str(expected), (ms, raw)
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
        assert parsed.int >> 80 == ms  # the millisecond it was made


def test_keys_are_unique_and_sort_in_the_order_they_were_made():
    made = []
    for _ in range(200):
        made.append(keys.new_uuid())
        time.sleep(0.0011) if len(made) % 50 == 0 else None
    assert len(set(made)) == len(made) and all(len(k) == 36 for k in made)
    # within a millisecond keys are random; across milliseconds they sort by time
    assert [k[:13] for k in made] == sorted(k[:13] for k in made)
    assert made[0] < made[-1]
