#!/usr/bin/env bash
# Renders every overlay and validates it offline; run by `./mvnw verify` (module deploy/k8s) and by hand.
#   deploy/k8s/check.sh            the validator's own tests; base = what the build generated; render; validate
#   deploy/k8s/check.sh --update   copy each service's generated target/kubernetes/kubernetes.yml into base/ first
# Needs Node >= 20 (npm ci installs the pinned validator packages) and kubectl >= 1.27 (kustomize v5) or kustomize.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
services=(transfer-service ledger-service bank-adapter-service webhook-service)
out=$here/target/rendered

fail() { printf '[k8s] FAIL: %s\n' "$*" >&2; exit 1; }
say() { printf '[k8s] %s\n' "$*"; }

command -v node >/dev/null && command -v npm >/dev/null ||
  fail "node and npm are needed (Node >= 20; Debian: apt-get install nodejs npm)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node >= 20 is needed, found $(node --version)"

# the renderer: kubectl's built-in kustomize, or a standalone kustomize
if command -v kubectl >/dev/null; then
  render() { kubectl kustomize "$1"; }
elif command -v kustomize >/dev/null; then
  render() { kustomize build "$1"; }
else
  fail "kubectl (or kustomize) is needed to render deploy/k8s/overlays/* — install kubectl >= 1.27"
fi

# 1. the packages the validator uses, exactly as locked
(cd "$here/validate" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || fail "npm ci in deploy/k8s/validate"

# 2. the validator's own tests: each broken fixture must be rejected
(cd "$here/validate" && node --test --test-reporter=dot) || fail "the validator's tests (deploy/k8s/validate/test)"
say "validator tests pass"

# 3. base/ is exactly what the build generates (quarkus-kubernetes, at package time)
drift=()
for svc in "${services[@]}"; do
  generated=$root/$svc/target/kubernetes/kubernetes.yml
  committed=$here/base/$svc/kubernetes.yml
  [ -f "$generated" ] || fail "$generated missing: package $svc first (./mvnw -pl $svc -am package -DskipTests)"
  if [ "${1:-}" = --update ]; then
    cp "$generated" "$committed"
  elif ! cmp -s "$generated" "$committed"; then
    diff -u "$committed" "$generated" >&2 || true
    drift+=("$svc")
  fi
done
[ ${#drift[@]} -eq 0 ] ||
  fail "deploy/k8s/base differs from what the build generates for: ${drift[*]} — run deploy/k8s/check.sh --update and commit"
say "base/ matches the generated manifests of ${services[*]}"

# 4. render every overlay, 5. validate each render against the schemas and our rules
mkdir -p "$out"
rendered=()
for overlay in "$here"/overlays/*/; do
  name=$(basename "$overlay")
  render "$overlay" >"$out/$name.yaml" || fail "rendering overlays/$name"
  rendered+=("$out/$name.yaml")
done
node "$here/validate/validate.js" --repo "$root" "${rendered[@]}" || fail "rendered manifests violate the schemas or our rules (above)"
say "all overlays render and validate (${rendered[*]#"$root"/})"
