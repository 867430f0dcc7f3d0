#!/usr/bin/env bash
# Prints the Debian packages that provide the shared libraries the given binaries load, one per
# line, so a runtime image installs exactly those (and stays patchable by apt) instead of the
# -dev packages of the build stage. Libraries of the base image (libc, libstdc++) are listed too;
# apt treats them as already installed.
# Usage: dockerfiles/runtime-packages.sh BINARY...
set -euo pipefail
ldd "$@" | awk '/=> \// { print $3 }' | sort -u | while read -r lib; do
  real=$(readlink -f "$lib")
  dpkg-query -S "$real" 2>/dev/null || dpkg-query -S "$lib"
done | cut -d: -f1 | sort -u
