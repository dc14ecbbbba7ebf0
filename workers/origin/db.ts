// Per-request database wiring for the origin (temporary: primary + first replica over Neon HTTP).
import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import type { OriginConfig } from "../../shared/env";
import * as schema from "../../shared/db/schema";

export function requestDb(config: OriginConfig) {
  if (config.NEON_LOCAL_PROXY) {
    const proxy = config.NEON_LOCAL_PROXY;
    neonConfig.fetchEndpoint = () => `http://${proxy}/sql`;
  }
  const primary = drizzle({ client: neon(config.DATABASE_URL), schema });
  const replicaUrl = config.REPLICA_URLS[0];
  const read = replicaUrl ? drizzle({ client: neon(replicaUrl), schema }) : primary;
  return { primary, read };
}

export type RequestDb = ReturnType<typeof requestDb>;
