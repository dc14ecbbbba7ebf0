import type { ErrorEvent } from "@sentry/cloudflare";
import { describe, expect, it } from "vitest";
import { scrubEvent, sentryOptions } from "./sentry.ts";

describe("Sentry options", () => {
  it("are off without a DSN", () => {
    expect(sentryOptions({ SENTRY_DSN: null, ENVIRONMENT: "production" })).toBeUndefined();
    expect(
      sentryOptions({ SENTRY_DSN: "https://k@o1.ingest.sentry.io/2", ENVIRONMENT: "staging" }),
    ).toMatchObject({
      environment: "staging",
      dataCollection: { userInfo: false, cookies: false },
    });
  });

  it("send nothing that identifies a visitor, whatever an integration collected", () => {
    const event = scrubEvent({
      type: undefined,
      user: { ip_address: "203.0.113.9" },
      request: {
        url: "https://site.example/login/code?code=123456",
        query_string: "code=123456",
        cookies: { sid: "abc" },
        data: "email=ada@example.com",
        headers: {
          Cookie: "sid=abc",
          "x-edge-context": "signed",
          "user-agent": "ua",
          "CF-Connecting-IP": "1.2.3.4",
        },
      },
    } as ErrorEvent);
    expect(event.user).toBeUndefined();
    expect(event.request).toEqual({
      url: "https://site.example/login/code",
      headers: { "user-agent": "ua" },
    });
  });
});
