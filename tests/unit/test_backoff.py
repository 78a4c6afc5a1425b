import random

from tray_app.backoff import Backoff, retry_after_seconds


def test_exponential_and_capped_at_60():
    b = Backoff(base=1, cap=60, jitter=0)
    assert [b.delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert b.delay(1000) == 60


def test_jitter_stays_within_spread_and_cap():
    b = Backoff(base=1, cap=60, jitter=0.1)
    rng = random.Random(7)
    for n in range(1, 20):
        raw = min(60, 2 ** (n - 1))
        d = b.delay(n, rng)
        assert raw * 0.9 - 1e-9 <= d <= min(60, raw * 1.1) + 1e-9


def test_retry_after():
    assert retry_after_seconds(1500) == 1.5
    assert retry_after_seconds(None) == 5.0
    assert retry_after_seconds(10_000_000) == 300.0
