// What a sign-in code may do: how long it lives, how many guesses it allows, and what each outcome tells the person.

export const SIGN_IN = {
  /** Long enough to switch to a mail app and back; short enough that an old mail is useless. */
  codeTtlMs: 10 * 60_000,
  /** Wrong guesses before the code is dead: 5 in a million per code. */
  maxAttempts: 5,
  /** Codes an email address may be sent per hour (so guesses stay few per hour, and mailboxes are not flooded). */
  perEmail: { requests: 5 },
  /** Code requests per client (IP address) per window. */
  perClient: { requests: 20, window: "1 h" },
} as const;

/** What a code can be used for. A code for one purpose never confirms another. */
export const PURPOSES = ["sign-in", "export", "delete"] as const;
export type Purpose = (typeof PURPOSES)[number];

export type Challenge = { attempts: number; expiresAt: Date; usedAt: Date | null };
export type Verdict = "ok" | "wrong" | "locked" | "expired" | "missing";

/** Judges one attempt from the newest unused challenge and whether the typed code matched its hash. */
export function judge(challenge: Challenge | undefined, matched: boolean, now: Date): Verdict {
  if (!challenge || challenge.usedAt) return "missing";
  if (challenge.expiresAt <= now) return "expired";
  if (challenge.attempts >= SIGN_IN.maxAttempts) return "locked";
  return matched ? "ok" : "wrong";
}

/**
 * The same words whatever happened, except a locked code (the person must ask for a new one). None of them says
 * whether the address has an account: every address can be sent a code.
 */
export function verdictMessage(v: Exclude<Verdict, "ok">): string {
  return v === "locked"
    ? "Too many wrong codes. Ask for a new code."
    : "That code is not right or has expired. Check the newest email, or ask for a new code.";
}
