#!/usr/bin/env bash
# Builds the container images pact-mocks/manager and pact-mocks/mockserver without a Docker daemon
# or a registry, then runs every binary inside them (--version, --print-config) as the image user.
# Uses Debian's buildah (vfs storage, chroot isolation, --network host so apt works inside the
# build, --pull=never so nothing is fetched from a registry). The debian:bookworm-slim base is made
# locally with debootstrap when it is missing. Slow (a full build inside each image) and disk hungry,
# so it is not part of ctest; see docs/deploying.md.
# Usage: scripts/build-images.sh            (as root)
#   TAG=0.1.0       image tag
#   BUILD_JOBS=2    compile jobs inside the build stage
#   ONLY=manager|mockserver   build one image (ONLY=base: only make the base image)
#   CLEAN=1         remove the build containers and images afterwards (keeps the base image)
set -euo pipefail
cd "$(dirname "$0")/.."
TAG=${TAG:-0.1.0}
BUILD_JOBS=${BUILD_JOBS:-2}
images=(manager mockserver)
if [[ ${ONLY:-} == base ]]; then images=(); elif [[ -n ${ONLY:-} ]]; then images=("$ONLY"); fi

[[ $(id -u) -eq 0 ]] || { echo "build-images: run as root (debootstrap and chroot isolation need it)" >&2; exit 2; }
INSTALL_EXTRA="buildah debootstrap ${INSTALL_EXTRA:-}" bash scripts/install-deps.sh
export STORAGE_DRIVER=vfs

base=docker.io/library/debian:bookworm-slim
if ! buildah inspect --type image "$base" >/dev/null 2>&1; then
  # The same Debian mirror apt already uses on this machine.
  mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
  [[ -n $mirror ]] || mirror=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n1 || true)
  [[ -n $mirror ]] || { echo "build-images: no Debian mirror found in the apt sources" >&2; exit 1; }
  echo "build-images: creating $base with debootstrap from $mirror"
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
  # Like the published -slim image: no downloaded packages, no apt lists or caches.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/*
  c=$(buildah from scratch)
  m=$(buildah mount "$c")
  cp -a "$rootfs"/. "$m"/
  buildah umount "$c" >/dev/null
  buildah config --cmd /bin/bash "$c"
  buildah commit -q "$c" "$base" >/dev/null
  buildah rm "$c" >/dev/null
fi

declare -A binaries=([manager]="manager" [mockserver]="aws-mock-server gcp-mock-server azure-mock-server mock-webhook")
for image in ${images[@]+"${images[@]}"}; do
  echo "build-images: building pact-mocks/$image:$TAG"
  start=$SECONDS
  buildah build --isolation chroot --network host --pull=never --format docker --layers=false \
    --build-arg "BUILD_JOBS=$BUILD_JOBS" -f "dockerfiles/Dockerfile.$image" -t "pact-mocks/$image:$TAG" .
  echo "build-images: pact-mocks/$image:$TAG built in $((SECONDS - start)) s"
  c=$(buildah from --pull=never "pact-mocks/$image:$TAG")
  for bin in ${binaries[$image]}; do
    echo "build-images: $image: $bin --version"
    buildah run --isolation chroot --user 10001:10001 "$c" -- "/usr/local/bin/$bin" --version
    buildah run --isolation chroot --user 10001:10001 "$c" -- "/usr/local/bin/$bin" --print-config >/dev/null
  done
  buildah rm "$c" >/dev/null
  buildah images --format '{{.Name}}:{{.Tag}} {{.Size}}' "pact-mocks/$image:$TAG"
done
if [[ ${CLEAN:-0} == 1 ]]; then
  for image in ${images[@]+"${images[@]}"}; do buildah rmi "pact-mocks/$image:$TAG" >/dev/null; done
fi
echo "build-images: done"
