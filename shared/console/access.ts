// Cloudflare Access in front of the console: the Cf-Access-Jwt-Assertion JWT checked against the team's keys (jose).
import { createRemoteJWKSet, customFetch, type FetchImplementation, jwtVerify } from "jose";

export const ACCESS_JWT_HEADER = "cf-access-jwt-assertion";

export interface AccessSettings {
  /** `https://<team>.cloudflareaccess.com` (a bare host name gets https://); also the tokens' issuer. */
  teamDomain: string;
  /** The Access application's audience tag (AUD). */
  aud: string;
}

export interface AccessOptions {
  /** Wait this long after a fetch before an unknown key id may fetch the keys again (jose's default: 30 s). */
  cooldownMs?: number;
  /** How long fetched keys are trusted before they are fetched again (default 10 min). */
  maxAgeMs?: number;
  fetch?: FetchImplementation;
}

export type AccessVerdict = { ok: true; email: string } | { ok: false; reason: string };
export type AccessVerifier = (token: string) => Promise<AccessVerdict>;

/** The team's origin, e.g. `https://acme.cloudflareaccess.com`; tests use a JWKS on http://127.0.0.1. */
export function teamOrigin(teamDomain: string): string {
  const withScheme = /^https?:\/\//.test(teamDomain) ? teamDomain : `https://${teamDomain}`;
  return new URL(withScheme).origin;
}

/**
 * A verifier holding the team's keys: fetched once, kept for `maxAgeMs`, fetched again when a token names a key
 * id it does not hold (Cloudflare rotates them), but not more often than `cooldownMs`. Create one per isolate.
 */
export function createAccessVerifier(settings: AccessSettings, opts: AccessOptions = {}): AccessVerifier {
  const issuer = teamOrigin(settings.teamDomain);
  const keys = createRemoteJWKSet(new URL(`${issuer}/cdn-cgi/access/certs`), {
    ...(opts.cooldownMs === undefined ? {} : { cooldownDuration: opts.cooldownMs }),
    cacheMaxAge: opts.maxAgeMs ?? 600_000,
    timeoutDuration: 2_000,
    ...(opts.fetch ? { [customFetch]: opts.fetch } : {}),
  });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience: settings.aud,
        algorithms: ["RS256"],
        clockTolerance: 5,
        requiredClaims: ["exp"],
      });
      // People have an email; a service token has its client id as common_name.
      const who =
        typeof payload.email === "string"
          ? payload.email
          : typeof payload.common_name === "string"
            ? `service token ${payload.common_name}`
            : null;
      return who ? { ok: true, email: who } : { ok: false, reason: "the token names nobody (no email)" };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  };
}

const verifiers = new Map<string, AccessVerifier>();

/** The isolate's verifier for these settings (its keys live as long as the isolate). */
export function accessVerifier(settings: AccessSettings, opts?: AccessOptions): AccessVerifier {
  const id = `${settings.teamDomain}\u0000${settings.aud}`;
  let v = verifiers.get(id);
  if (!v) {
    v = createAccessVerifier(settings, opts);
    verifiers.set(id, v);
  }
  return v;
}
