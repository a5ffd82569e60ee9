#!/usr/bin/env bash
# Debian packages the tests need: Chromium and the Noto CJK fonts (so Chinese renders as glyphs) for the
# browser tests, the PostgreSQL server for the store's tests (each test session starts its own), and
# Node.js with npm for the single sign-on test's OpenID Connect provider, and poppler-utils (pdftoppm,
# pdffonts) for the report tests, which look at every page of the PDF.
# Installs them when missing and we may (root, or sudo without a password); otherwise says what to run.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: please install ${missing[*]} (Chromium, Noto CJK fonts, PostgreSQL, Node.js, poppler-utils) for the tests" >&2
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else
  echo "system-deps: run 'sudo apt-get install ${missing[*]}' for the browser and store tests" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]} with apt-get" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
