import { describe, expect, it } from "vitest";
import { bindingTransport, EmailRefused, mailboxTransport, resendTransport } from "./index.ts";

const email = {
  id: "job-1",
  to: "ada@example.com",
  subject: "Your code",
  text: "123456",
  kind: "sign-in code",
};

function fakeResend(status: number, answer: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return Response.json(answer, { status });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe("resendTransport", () => {
  it("posts Resend's documented body with the key, a user agent and the job id as idempotency key", async () => {
    const f = fakeResend(200, { id: "x" });
    await resendTransport({
      apiKey: "re_1",
      from: "Site <no-reply@x.test>",
      baseUrl: "https://r.test/",
      fetch: f.fetchImpl,
    }).send(email);
    const call = f.calls[0];
    expect(call?.url).toBe("https://r.test/emails");
    const headers = new Headers(call?.init.headers);
    expect(headers.get("authorization")).toBe("Bearer re_1");
    expect(headers.get("idempotency-key")).toBe("job-1");
    expect(headers.get("user-agent")).toBeTruthy();
    expect(JSON.parse(String(call?.init.body))).toEqual({
      from: "Site <no-reply@x.test>",
      to: "ada@example.com",
      subject: "Your code",
      text: "123456",
      tags: [{ name: "kind", value: "sign-in_code" }],
    });
  });

  it("gives up on a refused mail (4xx) and lets the job retry on 429 and 5xx", async () => {
    const refused = fakeResend(422, { name: "validation_error", message: "bad to" });
    await expect(
      resendTransport({ apiKey: "k", from: "f@x.test", fetch: refused.fetchImpl }).send(email),
    ).rejects.toBeInstanceOf(EmailRefused);
    for (const status of [429, 500]) {
      const f = fakeResend(status, {});
      const error = await resendTransport({ apiKey: "k", from: "f@x.test", fetch: f.fetchImpl })
        .send(email)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(EmailRefused);
    }
  });
});

describe("bindingTransport and the dev mailbox", () => {
  it("sends through a send_email binding and sorts its errors into retry and refused", async () => {
    const sent: unknown[] = [];
    await bindingTransport({ send: async (m) => void sent.push(m) }, "no-reply@x.test").send(email);
    expect(sent).toEqual([
      { from: "no-reply@x.test", to: "ada@example.com", subject: "Your code", text: "123456" },
    ]);
    const refusing = {
      send: async () => Promise.reject(Object.assign(new Error("nope"), { code: "E_RECIPIENT_NOT_ALLOWED" })),
    };
    await expect(bindingTransport(refusing, "f@x.test").send(email)).rejects.toBeInstanceOf(EmailRefused);
    const limited = {
      send: async () =>
        Promise.reject(Object.assign(new Error("slow down"), { code: "E_RATE_LIMIT_EXCEEDED" })),
    };
    await expect(bindingTransport(limited, "f@x.test").send(email)).rejects.not.toBeInstanceOf(EmailRefused);
  });

  it("puts mail in the mailbox", async () => {
    const box: unknown[] = [];
    await mailboxTransport({ put: async (m) => void box.push(m) }).send(email);
    expect(box).toEqual([email]);
  });
});
