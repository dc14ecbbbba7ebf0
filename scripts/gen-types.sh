#!/usr/bin/env bash
# Regenerates (or with --check, verifies) the binding types `wrangler types` derives from each Worker's config.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=()
[ "${1:-}" = "--check" ] && mode=(--check)
run() { npx wrangler types "${mode[@]}" --strict-vars=false "$@" >/dev/null; }
run -c wrangler.toml --include-runtime=false --env-interface EdgeEnv workers/edge/worker-configuration.d.ts
run -c workers/origin/wrangler.toml --include-runtime=false --env-interface OriginEnv workers/origin/worker-configuration.d.ts
run -c workers/jobs/wrangler.toml --include-runtime=false --env-interface JobsEnv workers/jobs/worker-configuration.d.ts
run -c workers/jobs/wrangler.toml --include-env=false workers/worker-runtime.d.ts
echo "types: ${mode[*]:-generated} ok"
