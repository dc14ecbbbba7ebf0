// Points the Neon driver at the local proxy (scripts/stack/neon-proxy.ts) instead of Neon's edge.
import type { neonConfig as NeonConfigGlobal } from "@neondatabase/serverless";

/**
 * Local dev and tests only: production calls nothing here and leaves neonConfig untouched, so the
 * driver talks to Neon itself (wss:// to the endpoint, https://api.<host>/sql for HTTP queries).
 *
 * `proxy` is "host:port" of the local proxy, e.g. "127.0.0.1:25480". Plain ws:// and http:// because
 * the proxy is on loopback; no pipelining because pg's TLS/password pipelining assumes Neon's proxy
 * (the local Postgres uses trust auth and no TLS). Sets the global defaults, so it affects every
 * Pool/Client/neon() created afterwards in this isolate.
 */
export function useLocalNeonProxy(neonConfig: typeof NeonConfigGlobal, proxy: string): void {
  neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  neonConfig.fetchEndpoint = () => `http://${proxy}/sql`;
}
