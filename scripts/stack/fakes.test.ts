// The cloud API fakes answer as the real services document, and record what they were sent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fakes, startFakes } from "./fakes.ts";

let fakes: Fakes;
beforeAll(async () => {
  fakes = await startFakes({ port: 0, log: () => {} });
});
afterAll(() => fakes.stop());

const verify = (secret: string, response?: string) =>
  fetch(fakes.turnstileVerifyUrl, {
    method: "POST",
    body: new URLSearchParams({ secret, ...(response ? { response } : {}) }),
  }).then((r) => r.json());

describe("Turnstile siteverify fake", () => {
  it("follows Cloudflare's test-key semantics", async () => {
    expect(await verify("1x0000000000000000000000000000000AA", "XXXX.DUMMY.TOKEN.XXXX")).toMatchObject({
      success: true,
    });
    expect(await verify("1x0000000000000000000000000000000AA", "real-token")).toMatchObject({
      success: false,
      "error-codes": ["invalid-input-response"],
    });
    expect(await verify("2x0000000000000000000000000000000AA", "XXXX.DUMMY.TOKEN.XXXX")).toMatchObject({
      "error-codes": ["invalid-input-response"],
    });
    expect(await verify("3x0000000000000000000000000000000AA", "XXXX.DUMMY.TOKEN.XXXX")).toMatchObject({
      "error-codes": ["timeout-or-duplicate"],
    });
    expect(await verify("not-a-test-secret", "x")).toMatchObject({ "error-codes": ["invalid-input-secret"] });
    expect(await verify("1x0000000000000000000000000000000AA")).toMatchObject({
      "error-codes": ["missing-input-response"],
    });
  });
});

describe("Resend and Sentry fakes", () => {
  it("record a sent email and an envelope, and refuse unauthenticated ones", async () => {
    const send = (auth?: string) =>
      fetch(`${fakes.resendUrl}/emails`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ from: "a@x.test", to: "b@x.test", subject: "Hi", text: "hello" }),
      });
    expect((await send()).status).toBe(401);
    expect((await send("Bearer re_test")).status).toBe(200);
    const mails = (await (await fetch(`${fakes.url}/_fake/resend`)).json()) as {
      body: { subject: string };
    }[];
    expect(mails.map((m) => m.body.subject)).toEqual(["Hi"]);

    const dsn = new URL(fakes.sentryDsn);
    const envelope = `${JSON.stringify({ event_id: "e1" })}\n${JSON.stringify({ type: "event" })}\n${JSON.stringify({ tags: { request_id: "r1" } })}\n`;
    const ingest = `${dsn.protocol}//${dsn.host}/sentry/api/42/envelope/`;
    expect((await fetch(ingest, { method: "POST", body: envelope })).status).toBe(403);
    expect(
      (await fetch(`${ingest}?sentry_key=${dsn.username}`, { method: "POST", body: envelope })).status,
    ).toBe(200);
    const got = (await (await fetch(`${fakes.url}/_fake/sentry`)).json()) as { body: { items: unknown[] } }[];
    expect(got[0]?.body.items).toEqual([{ type: "event", payload: { tags: { request_id: "r1" } } }]);
  });
});
