#!/usr/bin/env bash
# Runs a deploy command against the fake wrangler instead of Cloudflare, to see what it would do:
#   bash scripts/deploy/fake-wrangler/try.sh provision --env staging
#   bash scripts/deploy/fake-wrangler/try.sh deploy --env staging --dry-run
# The fake account lives in $FAKE_WRANGLER_STATE (default .data/fake-wrangler); delete it to start over.
# (`npm run` would put node_modules/.bin, and so the real wrangler, first on PATH: hence this script.)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
command="${1:?usage: try.sh provision|secrets|deploy|rollback [args…]}"
shift
export PATH="$root/scripts/deploy/fake-wrangler/bin:$root/node_modules/.bin:$PATH"
export FAKE_WRANGLER_STATE="${FAKE_WRANGLER_STATE:-$root/.data/fake-wrangler}"
export CLOUDFLARE_API_TOKEN="${CLOUDFLARE_API_TOKEN:-fake-token}"
export CLOUDFLARE_ACCOUNT_ID="${CLOUDFLARE_ACCOUNT_ID:-acc123}"
# Dry runs (bundling) need no account: the real wrangler does them.
export FAKE_WRANGLER_REAL="$root/node_modules/.bin/wrangler"
cd "$root"
exec tsx "scripts/deploy/$command.ts" "$@"
