import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { parseBody } from "./body.ts";
import { onError } from "./errors.ts";

const app = new Hono()
  .post("/", async (c) => c.json(await parseBody(c, z.object({ email: z.email() }))))
  .onError(onError);

describe("parseBody", () => {
  it("accepts a valid form and JSON body", async () => {
    const form = await app.request("/", { method: "POST", body: new URLSearchParams({ email: "a@b.co" }) });
    expect(await form.json()).toEqual({ email: "a@b.co" });
    const json = await app.request("/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "a@b.co" }),
    });
    expect(json.status).toBe(200);
  });

  it("answers 400 naming the bad field, and 400 for an unreadable body", async () => {
    const bad = await app.request("/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "nope" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain("email");
    const broken = await app.request("/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(broken.status).toBe(400);
  });
});
