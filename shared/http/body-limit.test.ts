import { describe, expect, it } from "vitest";
import { BodyTooLarge, readBounded } from "./body-limit.ts";

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("https://x.test/", { method: "POST", body, headers });

describe("readBounded", () => {
  it("reads a body within the limit and returns null when there is none", async () => {
    const buf = await readBounded(post("hello"), 10);
    expect(new TextDecoder().decode(buf ?? undefined)).toBe("hello");
    expect(await readBounded(new Request("https://x.test/"), 10)).toBeNull();
  });

  it("refuses a declared length over the limit before reading", async () => {
    await expect(readBounded(post("x".repeat(20), { "content-length": "20" }), 10)).rejects.toBeInstanceOf(
      BodyTooLarge,
    );
  });

  it("refuses a streamed body as soon as it passes the limit", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    await expect(readBounded(post(endless), 4096)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(pulled).toBeLessThan(10);
  });
});
