#!/usr/bin/env bash
# Installs what the dashboard's browser test needs: Debian's Chromium and playwright-core (from the
# lockfile). Never lets a tool download a browser of its own: that fails on these machines, and the
# test drives /usr/bin/chromium through playwright-core's executablePath instead.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
browser_dir="$root/server/src/test/browser"

apt_packages=()
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
# Fonts so that text in screenshots is legible; harmless when already there.
[ -d /usr/share/fonts/truetype/dejavu ] || apt_packages+=(fonts-dejavu-core)

if [ ${#apt_packages[@]} -gt 0 ]; then
    echo "browser.sh: installing ${apt_packages[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${apt_packages[@]}"
fi

echo "browser.sh: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium missing')"
echo "browser.sh: node $(node --version), npm $(npm --version)"

# --ignore-scripts and the skip variable: playwright-core ships no browser, and nothing may fetch one.
cd "$browser_dir"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund
echo "browser.sh: playwright-core $(node -p "require('./node_modules/playwright-core/package.json').version")"
