#!/usr/bin/env bash
# Development only: writes <repo>/.env with random secrets (from deploy/.env.example) and RSA keys
# under $NPI_SECRETS_DIR (default .data/compose-secrets), for `docker compose up`. Both paths are
# git- and docker-ignored. Existing files are kept; delete them to regenerate.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
env_file="$root/.env"
secrets_dir="${NPI_SECRETS_DIR:-$root/.data/compose-secrets}"

command -v openssl > /dev/null || { echo "init-dev-secrets: openssl is required" >&2; exit 1; }

mkdir -p "$secrets_dir"
chmod 700 "$secrets_dir"

# NPI's signing PFX for payment-service (self-signed, development only).
pfx_passphrase="$(openssl rand -hex 16)"
pfx_base64() {
  local work
  work="$(mktemp -d)"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 365 -subj "/CN=NPI development signing" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2> /dev/null
  openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/cert.pem" -passout "pass:$pfx_passphrase" -out "$work/npi.pfx"
  base64 -w0 "$work/npi.pfx"
  rm -rf "$work"
}

if [[ -e "$env_file" ]]; then
  echo "init-dev-secrets: $env_file exists, left as is"
else
  umask 077
  while IFS= read -r line; do
    case "$line" in
      NPI_SIGNING_PFX_BASE64=)
        printf '%s%s\n' "$line" "$(pfx_base64)" ;;
      NPI_SIGNING_PFX_PASSPHRASE=)
        printf '%s%s\n' "$line" "$pfx_passphrase" ;;
      POSTGRES_PASSWORD= | SESSION_ADMIN_TOKEN= | SESSION_COOKIE_SECRET= | AUTH_ADMIN_CLIENT_SECRET= | AUTH_ADMIN_PASSWORD= | HCX_ADMIN_TOKEN= | PAYMENT_ADMIN_TOKEN=)
        printf '%s%s\n' "$line" "$(openssl rand -hex 32)" ;;
      HCX_KEKS=)
        printf '%skek-1:%s\n' "$line" "$(openssl rand -base64 32)" ;;
      *) printf '%s\n' "$line" ;;
    esac
  done < "$root/deploy/.env.example" > "$env_file"
  echo "init-dev-secrets: wrote $env_file"
fi

for name in auth-signing-key billers-signing-key billers-encryption-key; do
  key="$secrets_dir/$name.pem"
  if [[ ! -e "$key" ]]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$key" 2> /dev/null
    echo "init-dev-secrets: wrote $key"
  fi
  # Bind-mounted as is: uid 10001 in the container must read it; the directory stays 0700.
  chmod 644 "$key"
done
