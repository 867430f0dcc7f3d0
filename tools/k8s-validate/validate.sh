#!/usr/bin/env bash
# Validates everything under deploy/ and dockerfiles/ that can be checked without a cluster or a
# container engine (run by ctest as deploy_manifests_validate and deploy_dockerfiles_lint):
#   1. kustomize render of the base and of a controller overlay using deploy/k8s/controller-pact-mode
#   2. Kubernetes OpenAPI schema of every rendered object and every raw manifest (kubernetes-models)
#   3. unknown or misspelled fields (TypeScript excess-property check, tsc --noEmit)
#   4. cross-references, pod security policy, controller *_ENDPOINT URLs (check-references.mjs)
#   5. Dockerfile lint (dockerfile-utils, strict) plus the project's Dockerfile rules
# Usage: tools/k8s-validate/validate.sh [manifests|dockerfiles|all]
# Installs its pinned npm tools with `npm ci` on first use (kept in node_modules afterwards).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
what=${1:-all}
cd "$here"
mkdir -p .k8s-strict  # scratch output (git-ignored)

# npm ci only when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "== npm ci (tools/k8s-validate)"
  npm ci --no-audit --no-fund --loglevel=error
fi

failures=0
step() {
  echo "== $1"
  shift
  if ! "$@"; then
    echo "!! failed: $*" >&2
    failures=$((failures + 1))
  fi
}

kubectl_bin() {
  # Debian's kubernetes-client (kubectl 1.20, kustomize built in) when no kubectl is installed.
  if ! command -v kubectl >/dev/null && [[ $(id -u) -eq 0 ]]; then
    INSTALL_EXTRA=kubernetes-client bash "$root/scripts/install-deps.sh" >&2
  fi
  if command -v kubectl >/dev/null; then
    echo kubectl
  else
    echo "kubectl not found: install it (Debian bookworm: apt-get install kubernetes-client)" >&2
    return 1
  fi
}

render() {  # render DIR OUT: kustomize without any cluster access
  KUBECONFIG=/dev/null "$(kubectl_bin)" kustomize "$1" > "$2"
}

if [[ $what == manifests || $what == all ]]; then
  step "kustomize deploy/k8s" render "$root/deploy/k8s" .k8s-strict/rendered.yaml
  step "kustomize controller overlay (deploy/k8s/controller-pact-mode)" render fixtures/controller-overlay .k8s-strict/rendered-controller.yaml
  step "kustomize TLS component (deploy/k8s/components/tls)" render fixtures/tls-overlay .k8s-strict/rendered-tls.yaml
  # The overlays (docs/deploying.md): each rendered set is checked like the base.
  overlays=(.k8s-strict/rendered-tls.yaml)
  for o in "$root"/deploy/k8s/overlays/*/; do
    name=$(basename "$o")
    step "kustomize overlay $name (deploy/k8s/overlays/$name)" render "$o" ".k8s-strict/rendered-overlay-$name.yaml"
    overlays+=(".k8s-strict/rendered-overlay-$name.yaml")
  done
  # Raw files too, so a manifest left out of kustomization.yaml is still checked. Patches are
  # partial objects by design and are checked through the rendered overlay.
  raw=()
  for f in "$root"/deploy/k8s/base/*.yaml; do [[ $f == */kustomization.yaml ]] || raw+=("$f"); done
  step "schema (kubernetes-models)" node validate-schema.mjs .k8s-strict/rendered.yaml .k8s-strict/rendered-controller.yaml "${overlays[@]}" "${raw[@]}"
  step "unknown fields (tsc --noEmit)" bash -c "node write-strict-types.mjs .k8s-strict/rendered.yaml .k8s-strict/rendered-controller.yaml ${overlays[*]} ${raw[*]} && ./node_modules/.bin/tsc -p tsconfig.k8s.json"
  step "cross-references and pod security" node check-references.mjs --policy .k8s-strict/rendered.yaml --endpoints .k8s-strict/rendered-controller.yaml
  for rendered in "${overlays[@]}"; do
    step "cross-references and pod security ($rendered)" node check-references.mjs --policy "$rendered"
  done
fi

if [[ $what == dockerfiles || $what == all ]]; then
  step "dockerfile-utils lint (CLI)" bash -c "for f in '$root'/dockerfiles/Dockerfile.*; do ./node_modules/.bin/dockerfile-utils lint \"\$f\" || exit 1; done"
  step "Dockerfile rules" node lint-dockerfiles.mjs "$root"/dockerfiles/Dockerfile.*
fi

if ((failures)); then
  echo "validate: $failures step(s) failed"
  exit 1
fi
echo "validate: all steps passed"
