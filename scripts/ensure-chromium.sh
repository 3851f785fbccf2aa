#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when missing and we may (root, apt);
# otherwise warn loudly: the browser tests will be skipped.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null) \
    || echo "WARNING: could not install chromium; browser tests will be SKIPPED" >&2
else
  echo "WARNING: /usr/bin/chromium is missing and cannot be installed here; browser tests will be SKIPPED" >&2
fi
exit 0
