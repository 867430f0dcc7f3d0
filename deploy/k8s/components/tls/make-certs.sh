#!/usr/bin/env bash
# Makes a self-signed CA and a server certificate for the mock Services, for the optional TLS
# component (deploy/k8s/components/tls). The controller under test trusts ca.crt.
#
# Usage: make-certs.sh OUT_DIR [NAMESPACE] [EXTRA_SAN ...]
#   NAMESPACE  default secret-manager-controller-pact-broker
#   EXTRA_SAN  more subject names, e.g. DNS:mocks.example.test or IP:10.0.0.7
# Writes OUT_DIR/ca.crt, ca.key, tls.crt, tls.key (EC P-256; the certificate is valid 825 days,
# the CA 10 years). Existing files are replaced. Then:
#   kubectl -n NAMESPACE create secret tls pact-mocks-tls --cert OUT_DIR/tls.crt --key OUT_DIR/tls.key
set -euo pipefail
out=${1:?usage: $0 OUT_DIR [NAMESPACE] [EXTRA_SAN ...]}
ns=${2:-secret-manager-controller-pact-broker}
shift $(($# >= 2 ? 2 : 1))
command -v openssl >/dev/null || { echo "make-certs: openssl is required" >&2; exit 1; }
mkdir -p "$out"
umask 077

sans="DNS:localhost,IP:127.0.0.1"
for svc in aws-mock-server gcp-mock-server azure-mock-server; do
  sans+=",DNS:$svc,DNS:$svc.$ns,DNS:$svc.$ns.svc,DNS:$svc.$ns.svc.cluster.local"
done
for extra in "$@"; do sans+=",$extra"; done

openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
  -subj "/CN=pact-mocks test CA" -keyout "$out/ca.key" -out "$out/ca.crt" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -subj "/CN=pact-mocks" -keyout "$out/tls.key" -out "$out/tls.csr" 2>/dev/null
openssl x509 -req -in "$out/tls.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial -days 825 \
  -out "$out/tls.crt" -extfile <(printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=$sans") 2>/dev/null
rm -f "$out/tls.csr" "$out/ca.srl"
chmod 644 "$out/ca.crt" "$out/tls.crt"
echo "make-certs: wrote $out/{ca.crt,ca.key,tls.crt,tls.key} for namespace $ns"
