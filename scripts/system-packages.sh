#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the product needs, or stops with a message naming them.
#   scripts/system-packages.sh run    what the site needs (Python venv, CJK fonts, PDF libraries)
#   scripts/system-packages.sh test   the above plus what the tests drive (Chromium, poppler, zbar)
set -euo pipefail

RUN_PACKAGES=(
  python3-venv          # the project's virtualenv
  fonts-noto-cjk        # Chinese glyphs in every PDF and screenshot
  libpango-1.0-0        # WeasyPrint's text layout
  libpangoft2-1.0-0
  libharfbuzz-subset0   # fast font subsetting in WeasyPrint (~80× faster than fontTools)
)
TEST_PACKAGES=(
  chromium              # headless browser tests and screenshots
  chromium-driver       # WebDriver for chromium (selenium)
  poppler-utils         # pdftotext / pdffonts / pdftoppm read PDFs back in tests
  zbar-tools            # zbarimg decodes the QR code printed on a guide
  nginx                 # deploy/nginx/ is checked with nginx -t and runs in scripts/stack.sh
  gettext-base          # envsubst fills in deploy/nginx/'s templates (scripts/stack.sh)
)

packages=("${RUN_PACKAGES[@]}")
[ "${1:-run}" = "test" ] && packages+=("${TEST_PACKAGES[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm ci installs axe-core for the accessibility test (package.json). Looked for as a command:
# a Node.js from NodeSource brings its own npm, and Debian's npm package cannot be installed
# beside it ("held broken packages").
if [ "${1:-run}" = "test" ] && ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "缺少系统软件包 / missing system packages: ${missing[*]}" >&2
  echo "This is not a Debian/Ubuntu machine: install the equivalents of these packages, then run again." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "缺少系统软件包 / missing system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
