"""The honours a hall window holds now, shown as a line under its photo in 窗口风采.

cms declares the hook and the gallery reads it; supervision fills it from the monthly ranking
a manager approved for the public (supervision.notices.window_honours), so cms never imports
supervision (the registry move of cms/channels.py). Nothing registered, nothing shown.

A source is a function taking no argument and returning {window number: {"text", "url"}}.
"""

_sources = []


def register(source):
    if source not in _sources:
        _sources.append(source)
    return source


def current():
    """Every registered source's honours, merged: {window number: [{"text", "url"}]}."""
    honours = {}
    for source in _sources:
        for number, honour in source().items():
            honours.setdefault(number, []).append(honour)
    return honours


def window_of(title, numbers):
    """The window number a photo's title starts with ("B01窗口王丽…" → "B01"), the longest
    of `numbers` that is followed by something other than a letter or digit (so "B1" is not
    read out of "B12"), or None."""
    for number in sorted(numbers, key=len, reverse=True):
        rest = title[len(number) :]
        if title.startswith(number) and not (rest[:1].isascii() and rest[:1].isalnum()):
            return number
    return None
