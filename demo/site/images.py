"""Placeholder pictures for the demo, drawn with Pillow: window photos, magazine covers,
flowcharts and certificate samples.

Chinese captions are drawn only when a CJK font is installed (fonts-noto-cjk, fonts-wqy-*...);
without one the pictures keep their shapes and Latin labels (window numbers, step numbers),
so the demo loads on a bare machine too. Every picture is seeded, so the same caption always
gives the same bytes.
"""

import io
import random
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FONT_SUFFIXES = {".ttf", ".ttc", ".otf"}
# Palettes of the centre's house style: deep blue, teal, warm red, gold.
PALETTES = (
    ((21, 67, 120), (52, 120, 180), (235, 242, 250)),
    ((16, 112, 110), (72, 170, 160), (232, 246, 244)),
    ((150, 36, 40), (205, 80, 70), (250, 238, 232)),
    ((120, 88, 20), (200, 160, 60), (250, 245, 230)),
)
RED = (196, 30, 36)


def _renders_cjk(path):
    """True when the font draws distinct glyphs for two Chinese characters (a font without
    them draws the same empty box twice)."""
    try:
        font = ImageFont.truetype(str(path), 32)
        first, second = font.getmask("政"), font.getmask("务")
    except OSError:
        return False
    return first.getbbox() is not None and bytes(first) != bytes(second)


@cache
def cjk_font_path():
    """The first installed font that can draw Chinese, or None."""
    candidates = []
    for folder in FONT_DIRS:
        if folder.is_dir():
            candidates += [p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES]
    # Fonts whose names say CJK first, so the scan usually stops at the first file it opens.
    hints = ("cjk", "wqy", "sourcehan", "noto", "han", "droidsansfallback", "sim", "hei", "song")
    candidates.sort(key=lambda p: (not any(h in p.name.lower() for h in hints), str(p)))
    return next((p for p in candidates if _renders_cjk(p)), None)


@cache
def font(size, cjk=True):
    path = cjk_font_path() if cjk else None
    if path:
        return ImageFont.truetype(str(path), size)
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def has_cjk_font():
    return cjk_font_path() is not None


def _text(draw, xy, text, size, fill, anchor="la"):
    """Draw text; Chinese only when a CJK font exists."""
    if not text:
        return
    if not text.isascii() and not has_cjk_font():
        return
    draw.text(xy, text, font=font(size, cjk=not text.isascii()), fill=fill, anchor=anchor)


def _gradient(size, top, bottom):
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


def _encode(image, fmt):
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def window_photo(caption, window="", seed=0, size=(960, 640)):
    """A stylised photo of a service window: counter, screen with the window number, a
    clerk and a visitor, a caption band. Returns JPEG bytes."""
    rng = random.Random(f"photo:{seed}:{caption}")
    dark, mid, light = PALETTES[rng.randrange(len(PALETTES))]
    width, height = size
    image = _gradient(size, light, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    # Back wall panels and the window's sign.
    for i in range(5):
        x = i * width // 5
        draw.rectangle([x + 8, 40, x + width // 5 - 8, height // 2], outline=mid, width=2)
    draw.rounded_rectangle(
        [width // 2 - 140, 70, width // 2 + 140, 170], radius=14, fill=dark, outline=mid, width=4
    )
    _text(draw, (width // 2, 120), window or "", 64, (255, 255, 255), anchor="mm")
    # The counter.
    counter_top = height // 2 + 60
    draw.rectangle([60, counter_top, width - 60, counter_top + 90], fill=mid)
    draw.rectangle([60, counter_top, width - 60, counter_top + 14], fill=dark)
    # Clerk behind the counter, visitor in front.
    for cx, colour, head in ((width // 2 - 120, dark, 46), (width // 2 + 150, RED, 50)):
        draw.ellipse(
            [cx - head, counter_top - 170, cx + head, counter_top - 170 + 2 * head], fill=colour
        )
        draw.rounded_rectangle(
            [cx - 80, counter_top - 70, cx + 80, counter_top + 40], radius=30, fill=colour
        )
    # A few coloured dots: the hall's plants and signs, different in every photo.
    for _ in range(6):
        x, y, r = rng.randrange(width), rng.randrange(30, height // 2), rng.randrange(6, 18)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=mid)
    draw.rectangle([0, height - 90, width, height], fill=dark)
    _text(draw, (40, height - 45), caption, 34, (255, 255, 255), anchor="lm")
    return _encode(image, "JPEG")


def magazine_cover(title, issue, seed=0, size=(800, 1130)):
    """An A-ratio cover: masthead band, issue label, an abstract skyline of the hall."""
    rng = random.Random(f"cover:{seed}:{issue}")
    dark, mid, light = PALETTES[rng.randrange(len(PALETTES))]
    width, height = size
    image = _gradient(size, light, mid)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 220], fill=dark)
    _text(draw, (60, 110), title, 96, (255, 255, 255), anchor="lm")
    _text(draw, (width - 60, 180), issue, 36, (255, 255, 255), anchor="rm")
    base = height - 160
    x = 40
    while x < width - 40:
        w, h = rng.randrange(60, 130), rng.randrange(160, 480)
        draw.rectangle([x, base - h, x + w, base], fill=dark)
        for wy in range(base - h + 20, base - 20, 36):
            for wx in range(x + 12, x + w - 20, 28):
                draw.rectangle([wx, wy, wx + 14, wy + 18], fill=light)
        x += w + rng.randrange(8, 30)
    draw.rectangle([0, base, width, height], fill=dark)
    return _encode(image, "JPEG")


def flowchart(steps, seed=0, size=(1000, 260)):
    """Boxes joined by arrows, one per step, numbered; labelled when a CJK font exists.
    Returns PNG bytes."""
    dark, mid, light = PALETTES[seed % len(PALETTES)]
    width, height = size
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    count = len(steps)
    gap = 60
    box_w = (width - gap * (count + 1)) // count
    top, bottom = 70, height - 70
    for i, step in enumerate(steps):
        left = gap + i * (box_w + gap)
        draw.rounded_rectangle(
            [left, top, left + box_w, bottom], radius=18, fill=light, outline=dark, width=4
        )
        draw.ellipse([left + 12, top + 12, left + 52, top + 52], fill=dark)
        _text(draw, (left + 32, top + 32), str(i + 1), 24, (255, 255, 255), anchor="mm")
        _text(draw, (left + box_w // 2, (top + bottom) // 2 + 10), step, 30, dark, anchor="mm")
        if i < count - 1:
            y = (top + bottom) // 2
            start, end = left + box_w + 6, left + box_w + gap - 6
            draw.line([(start, y), (end - 12, y)], fill=mid, width=6)
            draw.polygon([(end, y), (end - 16, y - 12), (end - 16, y + 12)], fill=mid)
    return _encode(image, "PNG")


def certificate_sample(title, seed=0, size=(1240, 877)):
    """A landscape certificate with a red border and seal, marked 样本 when it can be.
    Returns PDF bytes (Pillow writes single-page PDFs)."""
    rng = random.Random(f"certificate:{seed}:{title}")
    width, height = size
    image = Image.new("RGB", size, (253, 250, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle([30, 30, width - 30, height - 30], outline=RED, width=10)
    draw.rectangle([50, 50, width - 50, height - 50], outline=RED, width=3)
    _text(draw, (width // 2, 150), title, 64, RED, anchor="mm")
    for i in range(6):
        y = 280 + i * 70
        draw.line(
            [(180, y), (width - 180 - rng.randrange(0, 300), y)], fill=(150, 150, 150), width=3
        )
    cx, cy = width - 260, height - 230
    draw.ellipse([cx - 110, cy - 110, cx + 110, cy + 110], outline=RED, width=8)
    draw.regular_polygon((cx, cy, 36), 5, rotation=rng.randrange(0, 72), fill=RED)
    _text(draw, (180, height - 140), "样本", 56, (200, 200, 200))
    return _encode(image, "PDF")
