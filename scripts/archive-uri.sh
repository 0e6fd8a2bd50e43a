#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# archive-uri.sh: print the Debian archive address this machine's apt
# already uses (the first one that is not the security archive), which
# every script that fetches from Debian reuses; exit 1 if there is none.
set -euo pipefail
uri=$(
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		awk '/^URIs:/ && !/security/ {print $2; exit}' "$f"
	done
	if [ -e /etc/apt/sources.list ]; then
		awk '$1 == "deb" && !/security/ {print $2}' /etc/apt/sources.list
	fi
)
uri=$(head -n1 <<< "$uri")
[ -n "$uri" ] || { echo "no Debian archive configured in /etc/apt" >&2; exit 1; }
echo "$uri"
