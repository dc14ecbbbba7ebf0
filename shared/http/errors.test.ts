import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { notFound, onError } from "./errors.ts";

const app = new Hono()
  .get("/bad", () => {
    throw new HTTPException(422, { message: "email is required" });
  })
  .get("/boom", () => {
    throw new Error("secret internals at line 42");
  })
  .onError(onError)
  .notFound(notFound);

describe("onError", () => {
  it("turns an HTTPException into a clear 4xx JSON answer", async () => {
    const res = await app.request("/bad");
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ message: "email is required" });
  });

  it("turns an unknown error into a safe 500 with no internals", async () => {
    const res = await app.request("/boom", { headers: { accept: "text/html" } });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toContain("Server error");
    expect(body).not.toContain("secret internals");
  });

  it("answers unknown routes with 404", async () => {
    expect((await app.request("/nope")).status).toBe(404);
  });
});
