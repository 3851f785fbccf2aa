#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; the PDF tests read the text of generated reports
# with poppler's pdftotext. Install what is missing when we may (root, apt); otherwise warn
# loudly: those tests will be skipped.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian ${missing[*]} for the browser and PDF tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null) \
    || echo "WARNING: could not install ${missing[*]}; browser/PDF tests will be SKIPPED" >&2
else
  echo "WARNING: ${missing[*]} missing and cannot be installed here; browser/PDF tests will be SKIPPED" >&2
fi
exit 0
