// Cloudflare Access in front of the console: the Cf-Access-Jwt-Assertion JWT checked against the team's keys.
// WebCrypto does the RS256 check, so no JOSE library ships in the origin: Access signs with RS256 only.

export const ACCESS_JWT_HEADER = "cf-access-jwt-assertion";

export interface AccessSettings {
  /** `https://<team>.cloudflareaccess.com` (a bare host name gets https://); also the tokens' issuer. */
  teamDomain: string;
  /** The Access application's audience tag (AUD). */
  aud: string;
}

export interface AccessOptions {
  /**
   * Wait this long after a fetch of the keys before a token with an unknown key id may fetch them again, and
   * after a failed fetch before any other (default 30 s).
   */
  cooldownMs?: number;
  /** How long fetched keys are trusted before they are fetched again (default 10 min). */
  maxAgeMs?: number;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export type AccessVerdict = { ok: true; email: string } | { ok: false; reason: string };
export type AccessVerifier = (token: string) => Promise<AccessVerdict>;

const RS256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
/** Seconds of clock difference tolerated on exp and nbf between Access and this isolate. */
const LEEWAY_S = 5;
/** Shorter RSA keys are refused, as RFC 7518 requires for RS256. */
const MIN_MODULUS_BITS = 2048;
const FETCH_TIMEOUT_MS = 2_000;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** The team's origin, e.g. `https://acme.cloudflareaccess.com`; tests use a JWKS on http://127.0.0.1. */
export function teamOrigin(teamDomain: string): string {
  const withScheme = /^https?:\/\//.test(teamDomain) ? teamDomain : `https://${teamDomain}`;
  return new URL(withScheme).origin;
}

function base64url(segment: string): Uint8Array<ArrayBuffer> {
  const binary = atob(segment.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function jsonObject(segment: string): Record<string, unknown> {
  const value: unknown = JSON.parse(new TextDecoder().decode(base64url(segment)));
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("not a JSON object");
  return value as Record<string, unknown>;
}

/** Why the claims are not acceptable, or null: RFC 7519's checks of iss, aud, exp (required), nbf and iat. */
function claimsProblem(claims: Record<string, unknown>, issuer: string, aud: string): string | null {
  const now = Math.floor(Date.now() / 1000);
  if (claims.iss !== issuer) return `issuer (iss) is not ${issuer}`;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(aud)) return "audience (aud) is not this application";
  if (typeof claims.exp !== "number") return "no expiry (exp)";
  if (claims.exp <= now - LEEWAY_S) return "expired (exp)";
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > now + LEEWAY_S))
    return "not valid yet (nbf)";
  if (claims.iat !== undefined && typeof claims.iat !== "number") return "issued-at (iat) is not a number";
  return null;
}

/** The RS256 verification keys of a JWKS answer by key id; keys of other types, uses or algorithms are skipped. */
async function importKeySet(body: unknown): Promise<Map<string, CryptoKey>> {
  const list = typeof body === "object" && body !== null ? (body as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(list)) throw new Error("the team's keys are not a JSON Web Key Set");
  const keys = new Map<string, CryptoKey>();
  for (const jwk of list as Record<string, unknown>[]) {
    const { kty, kid, alg, use, n, e } = jwk ?? {};
    if (kty !== "RSA" || typeof kid !== "string" || typeof n !== "string" || typeof e !== "string") continue;
    if ((alg !== undefined && alg !== "RS256") || (use !== undefined && use !== "sig")) continue;
    try {
      const key = await crypto.subtle.importKey("jwk", { kty, n, e }, RS256, false, ["verify"]);
      if (((key.algorithm as { modulusLength?: number }).modulusLength ?? 0) >= MIN_MODULUS_BITS)
        keys.set(kid, key);
    } catch {
      // A malformed key cannot verify anything; the set's other keys still can.
    }
  }
  return keys;
}

/**
 * The team's keys, fetched on first use and again once older than `maxAgeMs`, or for a key id not held (Cloudflare
 * rotates them) at most once per `cooldownMs`, so tokens with made-up key ids cannot make every request fetch.
 * A fetch is not shared between requests in flight: Workers do not let one request wait on another's I/O.
 */
function remoteKeys(url: string, opts: AccessOptions): (kid: string) => Promise<CryptoKey | undefined> {
  const cooldownMs = opts.cooldownMs ?? 30_000;
  const maxAgeMs = opts.maxAgeMs ?? 600_000;
  const fetchKeys = opts.fetch ?? ((u: string, init: RequestInit) => fetch(u, init));
  let keys = new Map<string, CryptoKey>();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let startedAt = Number.NEGATIVE_INFINITY;
  let failedAt = Number.NEGATIVE_INFINITY;

  const load = async () => {
    startedAt = Date.now();
    try {
      const res = await fetchKeys(url, {
        headers: { accept: "application/json" },
        // The keys are served at this URL itself; a redirect elsewhere is not followed to a key set.
        redirect: "manual",
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      if (res.status !== 200) {
        // An unread body holds its connection open until the request ends.
        await res.body?.cancel();
        throw new Error(`the team's keys answered HTTP ${res.status}`);
      }
      keys = await importKeySet(await res.json());
      fetchedAt = Date.now();
    } catch (e) {
      failedAt = Date.now();
      throw e;
    }
  };

  return async (kid) => {
    const now = Date.now();
    if (now >= fetchedAt + maxAgeMs) {
      if (now < failedAt + cooldownMs)
        throw new Error("the team's keys could not be fetched; retrying shortly");
      await load();
    } else if (!keys.has(kid) && now >= startedAt + cooldownMs) await load();
    return keys.get(kid);
  };
}

/**
 * A verifier holding the team's keys: fetched once, kept for `maxAgeMs`, fetched again when a token names a key
 * id it does not hold, but not more often than `cooldownMs`. Create one per isolate.
 */
export function createAccessVerifier(settings: AccessSettings, opts: AccessOptions = {}): AccessVerifier {
  const issuer = teamOrigin(settings.teamDomain);
  const keyFor = remoteKeys(`${issuer}/cdn-cgi/access/certs`, opts);
  const refuse = (reason: string): AccessVerdict => ({ ok: false, reason });
  return async (token) => {
    try {
      const parts = token.split(".");
      if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return refuse("not a signed JWT");
      const [header, payload, signature] = parts as [string, string, string];
      const protectedHeader = jsonObject(header);
      // The algorithm is fixed here, never taken from the token: "none" and HMAC with the public key stay out.
      if (protectedHeader.alg !== "RS256")
        return refuse(`algorithm ${String(protectedHeader.alg)} is not RS256`);
      // No critical header extension is understood, so a token that needs one is refused (RFC 7515).
      if (protectedHeader.crit !== undefined) return refuse("critical header parameters are not supported");
      const kid = protectedHeader.kid;
      if (typeof kid !== "string") return refuse("no key id (kid)");
      const key = await keyFor(kid);
      if (!key) return refuse(`no key ${kid} in the team's key set`);
      const signed = new TextEncoder().encode(`${header}.${payload}`);
      if (!(await crypto.subtle.verify(RS256, key, base64url(signature), signed)))
        return refuse("signature verification failed");
      const claims = jsonObject(payload);
      const problem = claimsProblem(claims, issuer, settings.aud);
      if (problem) return refuse(problem);
      // People have an email; a service token has its client id as common_name.
      const who =
        typeof claims.email === "string"
          ? claims.email
          : typeof claims.common_name === "string"
            ? `service token ${claims.common_name}`
            : null;
      return who ? { ok: true, email: who } : refuse("the token names nobody (no email)");
    } catch (e) {
      return refuse(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
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
