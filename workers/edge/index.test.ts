import { describe, expect, it, vi } from "vitest";
import worker from "./index.ts";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

describe("edge entry with a bad config", () => {
  it("answers 503 with a maintenance page and logs the reason, instead of crashing (error 1101)", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const env = {
      ENVIRONMENT: "production",
      ADMIN_TOKEN: "an-admin-token-of-enough-length",
    } as unknown as EdgeEnv;
    const res = await worker.fetch(
      new Request("https://site.test/", { headers: { accept: "text/html" } }),
      env,
      ctx,
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("300");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const page = await res.text();
    expect(page).toContain("Down for maintenance");
    expect(page).not.toContain("EDGE_SECRET");
    expect(String(logged.mock.calls[0]?.[0])).toContain("EDGE_SECRET is not set");
    expect(String(logged.mock.calls[0]?.[0])).toContain("npm run secrets -- --env production");
    logged.mockRestore();
  });
});
