"""Every top-level package of the product reaches an installed copy and the Docker image: a
package missing from pyproject's list or the Dockerfile would start in a checkout and fail in
production (`demo` is in INSTALLED_APPS; `imports` is used by two apps)."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_SHIPPED = {"tests", "bench"}


def product_packages():
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_SHIPPED
    }


def test_pyproject_installs_every_package_of_the_product():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    included = {pattern.rstrip("*") for pattern in patterns}
    assert product_packages() <= included


def test_the_docker_image_copies_every_package_of_the_product():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile, flags=re.M))
    assert product_packages() <= copied


def test_the_docker_image_copies_the_admins_translations():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^COPY locale \./locale$", dockerfile, flags=re.M)
