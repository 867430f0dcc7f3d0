#!/usr/bin/env bash
# Lays out the pact files of SRC exactly as the kubelet mounts a ConfigMap volume, so the manager
# can be run and tested locally against the same layout it sees in a pod:
#   DEST/..<timestamp>/<file>            the real files (a new directory per update)
#   DEST/..data -> ..<timestamp>         swapped atomically by rename() on every update
#   DEST/<file> -> ..data/<file>         the user-visible names
# Running it again on an existing DEST performs an update the way the kubelet does (new timestamp
# directory, atomic ..data swap, stale names and the old directory removed), so it doubles as a
# "ConfigMap edit" in integration tests.
# Usage: examples/make-configmap-layout.sh SRC DEST   (SRC: a directory of *.json pact files)
# Env:   CONFIGMAP_TIMESTAMP overrides the directory stamp (e.g. for a reproducible committed layout).
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 SRC DEST" >&2
  exit 2
fi
src=$1 dest=$2
[[ -d $src ]] || { echo "$0: source directory '$src' not found" >&2; exit 2; }

shopt -s nullglob
files=("$src"/*.json)
((${#files[@]} > 0)) || { echo "$0: no *.json files in '$src'" >&2; exit 2; }

mkdir -p "$dest"
stamp=${CONFIGMAP_TIMESTAMP:-$(date -u +%Y_%m_%d_%H_%M_%S)}
# Same naming as the kubelet's os.MkdirTemp(dir, "..2006_01_02_15_04_05."): a random suffix keeps
# two updates within one second apart.
tsdir=$(mktemp -d "$dest/..$stamp.XXXXXXXXX")
chmod 0755 "$tsdir"
ts=$(basename "$tsdir")

old=""
if [[ -L $dest/..data ]]; then old=$(readlink "$dest/..data"); fi

for f in "${files[@]}"; do
  install -m 0644 "$f" "$tsdir/$(basename "$f")"
done

# Atomic swap: a new symlink under a temporary name, renamed over ..data (mv -T uses rename(2)).
ln -sfn "$ts" "$dest/..data_tmp"
mv -Tf "$dest/..data_tmp" "$dest/..data"

# User-visible names for every key (new keys appear after the swap, as in current kubelets).
for f in "${files[@]}"; do
  name=$(basename "$f")
  [[ -L $dest/$name ]] || ln -s "..data/$name" "$dest/$name"
done
# Remove names whose key is gone.
for link in "$dest"/*; do
  name=$(basename "$link")
  if [[ -L $link && ! -e $dest/..data/$name ]]; then rm -f "$link"; fi
done
if [[ -n $old && $old != "$ts" && -d $dest/$old ]]; then rm -rf "${dest:?}/$old"; fi
