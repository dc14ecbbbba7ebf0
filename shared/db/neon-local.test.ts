// The Worker-side switch really rewires both transports of the driver to the local proxy.
import { neonConfig } from "@neondatabase/serverless";
import { afterEach, describe, expect, it } from "vitest";
import { useLocalNeonProxy } from "./neon-local.ts";

const saved = {
  wsProxy: neonConfig.wsProxy,
  useSecureWebSocket: neonConfig.useSecureWebSocket,
  pipelineTLS: neonConfig.pipelineTLS,
  pipelineConnect: neonConfig.pipelineConnect,
  fetchEndpoint: neonConfig.fetchEndpoint,
};

describe("useLocalNeonProxy", () => {
  afterEach(() => Object.assign(neonConfig, saved));

  it("routes WebSockets and HTTP queries to the proxy over plain ws/http", () => {
    useLocalNeonProxy(neonConfig, "127.0.0.1:25480");
    const { wsProxy, fetchEndpoint } = neonConfig;
    expect(typeof wsProxy === "function" && wsProxy("127.0.0.1", 25432)).toBe(
      "127.0.0.1:25480/v2?address=127.0.0.1:25432",
    );
    expect(typeof fetchEndpoint === "function" && fetchEndpoint("127.0.0.1", 25432)).toBe(
      "http://127.0.0.1:25480/sql",
    );
    expect(neonConfig.useSecureWebSocket).toBe(false);
    expect(neonConfig.pipelineTLS).toBe(false);
    expect(neonConfig.pipelineConnect).toBe(false);
  });

  it("leaves the production defaults alone until called", () => {
    // Neon's own edge: TLS WebSocket and the https API endpoint.
    expect(neonConfig.useSecureWebSocket).toBe(true);
    const endpoint = neonConfig.fetchEndpoint;
    expect(typeof endpoint === "function" && endpoint("ep-x.eu-central-1.aws.neon.tech", 5432)).toBe(
      "https://api.eu-central-1.aws.neon.tech/sql",
    );
  });
});
