// Shared helpers for integration tests: the site, the admin API, direct SQL, and the stack's control server.

import { SELF } from "cloudflare:test";
import { neon, neonConfig } from "@neondatabase/serverless";
import { inject } from "vitest";
import { useLocalNeonProxy } from "../shared/db/index.ts";
import { newSessionId, sessionKey } from "../shared/identity/index.ts";

export const SITE = "http://edgeplate.test";
const stack = inject("stack");
/** The stack's admin bearer token (the CLIs' credential). */
export const adminToken = stack.adminToken;

/** What Turnstile's widget puts in a public form with Cloudflare's test keys (the stack's siteverify accepts it). */
export const HUMAN = { "cf-turnstile-response": "XXXX.DUMMY.TOKEN.XXXX" } as const;

/**
 * A request through the edge Worker (the real path: edge → origin → Postgres/Redis). Like a browser, a request
 * that changes something says where it comes from (the site itself) unless the test says otherwise.
 */
export async function site(path: string, init?: RequestInit) {
  const headers = new Headers(init?.headers);
  const method = (init?.method ?? "GET").toUpperCase();
  if (method !== "GET" && method !== "HEAD" && !headers.has("origin")) headers.set("origin", SITE);
  const res = await SELF.fetch(`${SITE}${path}`, { redirect: "manual", ...init, headers });
  const body = await res.text();
  return { res, body, cacheStatus: res.headers.get("cache-status") ?? "" };
}

/** An admin API call through the edge, with the stack's admin token. */
export async function admin(method: string, path: string, body?: unknown) {
  const res = await SELF.fetch(`${SITE}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.adminToken}`,
      "content-type": "application/json",
      "x-actor": "test",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { res, json, text };
}

/** SQL straight on the primary (or the replica), through the same Neon proxy the Workers use. */
export function sql(on: "primary" | "replica" = "primary") {
  useLocalNeonProxy(neonConfig, stack.neonProxy);
  return neon(on === "primary" ? stack.primaryUrl : stack.replicaUrl);
}

/**
 * A new session for the user with this email (created if new), stored as the product stores one. Files sign in
 * their own users, so one file signing out never signs out another's.
 */
export async function sessionFor(email: string, name = "Test user"): Promise<{ cookie: string; id: string }> {
  const id = newSessionId();
  await sql()`with u as (
      insert into users (email, name) values (${email}, ${name})
      on conflict (email) do update set email = excluded.email returning id
    )
    insert into sessions (id, user_id, expires_at) select ${await sessionKey(id)}, id, now() + interval '1 hour' from u`;
  return { cookie: `sid=${id}`, id };
}

export type Fault = `fault/${"primary" | "replica" | "redis" | "neon-proxy" | "upstash-proxy"}/${
  | "freeze"
  | "thaw"
  | "stop"
  | "start"}`;

/** Stops/starts (or freezes/thaws) real processes of the test stack. */
export async function control(
  action: "replica/stop" | "replica/start" | "redis/stop" | "redis/start" | Fault,
  query = "",
) {
  const res = await fetch(`${stack.control}/${action}${query}`, { method: "POST" });
  if (!res.ok) throw new Error(`control ${action} failed: ${res.status} ${await res.text()}`);
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  everyMs = 100,
) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
}

/**
 * That something does not happen (a second mail, a job run): `check` must hold at every look for `forMs`, and the
 * first look where it does not fails at once. An absence can only be shown over a window; this one is polled.
 */
export async function holds(check: () => Promise<boolean>, forMs: number, everyMs = 100): Promise<void> {
  const until = Date.now() + forMs;
  for (;;) {
    if (!(await check())) throw new Error("the condition stopped holding");
    if (Date.now() >= until) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
