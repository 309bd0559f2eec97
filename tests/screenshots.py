"""Screenshots from the browser tests, for eyes and for CI's artefacts: saved in the folder
named by SCREENSHOT_DIR (default artifacts/screenshots/ under the repository, git-ignored) as
<test-or-page>-<width>-<mode>.png, mode "standard" or "elder" (长辈版), the names
tests/test_accessibility_axe.py gives its own."""

import os
from pathlib import Path

from django.conf import settings


def save_screenshot(browser, name, mode="standard"):
    default = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
    folder = Path(os.environ.get("SCREENSHOT_DIR") or default)
    folder.mkdir(parents=True, exist_ok=True)
    width = browser.execute_script("return window.innerWidth")
    path = folder / f"{name}-{width}-{mode}.png"
    browser.save_screenshot(str(path))
    return path
