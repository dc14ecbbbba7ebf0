// Cloudflare Turnstile, verified server-side: the public forms' bot check (sign-in codes, registrations).
import { withTimeout } from "../deadline/index.ts";

/** Cloudflare's own endpoint; locally and in tests a faithful fake stands in (scripts/stack/fakes.ts). */
export const SITEVERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
/** The form field the widget fills in. */
export const TURNSTILE_FIELD = "cf-turnstile-response";
/** Cloudflare's published test keys: they work on any host, locally included, and need no account. */
export const TEST_KEYS = {
  passSitekey: "1x00000000000000000000AA",
  passSecret: "1x0000000000000000000000000000000AA",
  failSecret: "2x0000000000000000000000000000000AA",
  spentSecret: "3x0000000000000000000000000000000AA",
  /** What the widget produces with a test sitekey (and the only token test secrets accept). */
  dummyToken: "XXXX.DUMMY.TOKEN.XXXX",
} as const;

export type TurnstileConfig = { secret: string; verifyUrl: string };
export type TurnstileVerdict = { ok: true } | { ok: false; reason: string; retryable: boolean };

/**
 * Asks siteverify about `token`. Never throws: a network failure or timeout is a refusal the person can retry
 * (a bot check that cannot run must not let everything through).
 */
export async function verifyTurnstile(
  config: TurnstileConfig,
  token: string | undefined,
  remoteIp: string | null,
  opts: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<TurnstileVerdict> {
  if (!token) return { ok: false, reason: "missing-input-response", retryable: false };
  if (token.length > 2048) return { ok: false, reason: "invalid-input-response", retryable: false };
  const body = new URLSearchParams({ secret: config.secret, response: token });
  if (remoteIp) body.set("remoteip", remoteIp);
  try {
    const res = await withTimeout(
      (signal) => (opts.fetch ?? fetch)(config.verifyUrl, { method: "POST", body, signal }),
      opts.timeoutMs ?? 2_000,
    );
    const data = (await res.json()) as { success?: unknown; "error-codes"?: unknown };
    if (data.success === true) return { ok: true };
    const codes = Array.isArray(data["error-codes"]) ? data["error-codes"].map(String) : [];
    return {
      ok: false,
      reason: codes[0] ?? `siteverify answered ${res.status}`,
      retryable: codes.includes("internal-error"),
    };
  } catch (error) {
    return {
      ok: false,
      reason: `siteverify unreachable: ${error instanceof Error ? error.message : String(error)}`,
      retryable: true,
    };
  }
}

/** Cloudflare's test secrets pass or fail everyone: fine on a laptop, a hole anywhere else. */
export function isTestSecret(secret: string | null): boolean {
  return (
    secret === TEST_KEYS.passSecret || secret === TEST_KEYS.failSecret || secret === TEST_KEYS.spentSecret
  );
}
