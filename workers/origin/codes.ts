// Sending and checking one-time codes for the account routes: limits, the bot check, one write, one relay.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { siteJobs } from "../../shared/jobs/examples/index.ts";
import { buildEnvelope, stageJob } from "../../shared/jobs/index.ts";
import {
  codeHash,
  countWrongGuess,
  judge,
  newCode,
  newestChallenge,
  normaliseCode,
  type Purpose,
  SIGN_IN,
  type StoredChallenge,
  stageChallenge,
  verdictMessage,
} from "../../shared/signin/index.ts";
import { SITE } from "../../shared/site/index.ts";
import { constantTimeEqual } from "../../shared/trust/index.ts";
import { TEST_KEYS, verifyTurnstile } from "../../shared/turnstile/index.ts";
import type { OriginApp } from "./context.ts";
import { relayAfterCommit } from "./jobs.ts";
import { allowCodeRequest } from "./services.ts";
import type { TurnstileWidget } from "./views/turnstile.tsx";

const tooMany = (message: string, retryAfter: number) =>
  new HTTPException(429, {
    res: new Response(JSON.stringify({ error: "rate_limited", message, retryAfter }), {
      status: 429,
      headers: {
        "content-type": "application/json",
        "retry-after": String(retryAfter),
        "cache-control": "no-store",
      },
    }),
  });

/** Turnstile's verdict on this form post; refusals are 403 with a message a person can act on. */
export async function requireHuman(c: Context<OriginApp>, token: string | undefined): Promise<void> {
  const config = c.get("config");
  let secret = config.TURNSTILE_SECRET_KEY;
  // Test runs ask for Cloudflare's always-fail or already-spent test keys to walk the refusal paths.
  const asked = globalThis.__TEST_HOOKS__ && config.TEST_HOOKS ? c.req.header("x-test-turnstile") : undefined;
  if (asked === "fail") secret = TEST_KEYS.failSecret;
  if (asked === "spent") secret = TEST_KEYS.spentSecret;
  if (!secret) return;
  const verdict = await verifyTurnstile(
    { secret, verifyUrl: config.TURNSTILE_VERIFY_URL },
    token,
    c.req.header("cf-connecting-ip") ?? null,
  );
  if (verdict.ok) return;
  throw new HTTPException(403, {
    message: verdict.retryable
      ? "We could not check that you are human just now. Please try again."
      : `The human check did not pass (${verdict.reason}). Reload the page and try again.`,
  });
}

/** What a page needs to show the widget (the same for everyone, so cached pages may carry it). */
export function turnstileWidget(c: Context<OriginApp>): TurnstileWidget {
  const config = c.get("config");
  return { siteKey: config.TURNSTILE_SITE_KEY, scriptUrl: config.TURNSTILE_SCRIPT_URL };
}

/**
 * Emails a new code. The same answer whatever the address (an account or not): every address can be sent one.
 * Limits: per client here (Redis), per address in the same statement as the code (Postgres).
 */
export async function sendCode(
  c: Context<OriginApp>,
  o: { email: string; purpose: Purpose; userId: number | null },
): Promise<void> {
  const config = c.get("config");
  const client = c.req.header("cf-connecting-ip") ?? c.get("edge").anonymousId ?? "unknown";
  const perClient = await allowCodeRequest(config, client);
  if (!perClient.ok) {
    throw tooMany("Too many codes asked for from here; try again later.", retryAfter(perClient.reset));
  }
  const code = newCode();
  const id = crypto.randomUUID();
  const job = buildEnvelope(
    siteJobs,
    "send-code",
    { to: o.email, purpose: o.purpose, code, site: SITE.name },
    { requestId: c.get("requestId") },
  );
  const hash = await codeHash(config.edgeKeys.sign, id, code);
  const { results, token } = await c.get("db").write((p) => [
    p.execute(
      stageChallenge(
        {
          id,
          email: o.email,
          purpose: o.purpose,
          userId: o.userId,
          hash,
          expiresAt: new Date(Date.now() + SIGN_IN.codeTtlMs),
        },
        (when) => stageJob(job, when),
      ),
    ),
  ]);
  const staged = (results[0].rows[0] as { staged?: boolean } | undefined)?.staged === true;
  if (!staged) throw tooMany("Too many codes for this address in the last hour; try again later.", 3600);
  relayAfterCommit(c, [job.id], token);
}

/**
 * Checks a typed code against the newest live one for the address; a wrong guess is counted. Returns the
 * challenge to use (the caller uses it in the same statement as the action, which checks it once more).
 */
export async function checkCode(
  c: Context<OriginApp>,
  o: { email: string; purpose: Purpose; typed: string },
): Promise<StoredChallenge> {
  const code = normaliseCode(o.typed);
  if (code === null) throw new HTTPException(400, { message: "The code is the 6 digits from the email." });
  const config = c.get("config");
  const db = c.get("db").primary;
  const challenge = await newestChallenge(db, o.email, o.purpose);
  let matched = false;
  if (challenge) {
    // Every key of the ring: a code sent just before a key rotation still works.
    for (const key of config.edgeKeys.verify) {
      if (constantTimeEqual(await codeHash(key, challenge.id, code), challenge.hash)) matched = true;
    }
  }
  const verdict = judge(challenge, matched, new Date());
  if (verdict === "ok" && challenge) return challenge;
  if (verdict === "wrong" && challenge) {
    const attempts = await countWrongGuess(db, challenge.id);
    throw new HTTPException(400, {
      message: verdictMessage(attempts >= SIGN_IN.maxAttempts ? "locked" : "wrong"),
    });
  }
  throw new HTTPException(400, { message: verdictMessage(verdict === "ok" ? "missing" : verdict) });
}

function retryAfter(reset: number): number {
  return Math.max(1, Math.ceil((reset - Date.now()) / 1000));
}
