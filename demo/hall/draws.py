"""How the hall plan draws: staff names, moments of the office day, shares of a total, dates.
Small and pure; the plan calls them millions of times at benchmark scale."""

import bisect
import datetime

from demo.hall.profile import (
    AFTERNOON_END,
    COMPOUND_SURNAMES,
    GIVEN_CHARACTERS,
    MORNING_END,
    ONE_DAY,
    RARE_CHARACTERS,
    RARE_SHARE,
    SLOT_CUM,
    SLOT_STARTS,
    SURNAME_WEIGHTS,
    SURNAMES,
)


def staff_name(rng):
    if rng.random() < 0.01:
        surname = rng.choice(COMPOUND_SURNAMES)
    else:
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    length = 1 if rng.random() < 0.3 else 2
    given = "".join(
        rng.choice(RARE_CHARACTERS) if rng.random() < RARE_SHARE else rng.choice(GIVEN_CHARACTERS)
        for _ in range(length)
    )
    return surname + given


def seconds_in_hours(rng):
    """A moment of the office day, as seconds after midnight, busier mid-morning."""
    slot = bisect.bisect(SLOT_CUM, rng.random() * SLOT_CUM[-1])
    return SLOT_STARTS[slot] + int(rng.random() * 1800)


def pick(rng, values):
    """rng.choice without its rejection sampling: one random() per pick (the hot path
    picks millions of times)."""
    return values[int(rng.random() * len(values))]


def session_end(seconds):
    return MORNING_END if seconds < MORNING_END else AFTERNOON_END


def apportion(total, weights):
    """Split `total` into integers proportional to `weights` (largest remainders)."""
    if not weights:
        return []
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def dates(start, end):
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def month_end(year, month):
    return datetime.date(year + month // 12, month % 12 + 1, 1) - ONE_DAY
