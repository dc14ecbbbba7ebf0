import { exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccessVerifier, teamOrigin } from "./access.ts";

const TEAM = "https://acme.cloudflareaccess.com";
const AUD = "aud-123";

type Key = { kid: string; privateKey: CryptoKey; jwk: JWK };
async function key(kid: string): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

function sign(
  k: Key,
  claims: Record<string, unknown> = {},
  opts: { exp?: string | number; iss?: string; aud?: string } = {},
) {
  return new SignJWT({ email: "ops@example.com", type: "app", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: k.kid })
    .setIssuer(opts.iss ?? TEAM)
    .setAudience([opts.aud ?? AUD])
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? "5m")
    .sign(k.privateKey);
}

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const segment = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));
const inFiveMinutes = () => Math.floor(Date.now() / 1000) + 300;

/** A JWKS endpoint serving `keys`, counting fetches; `status` other than 200 makes it fail. */
function jwks(keys: Key[]) {
  const served = { keys, fetches: 0, urls: [] as string[], status: 200 };
  const fetch = async (url: string) => {
    served.fetches++;
    served.urls.push(url);
    if (served.status !== 200) return new Response("unavailable", { status: served.status });
    return Response.json({ keys: served.keys.map((k) => k.jwk) });
  };
  return { served, fetch };
}

let a: Key;
let b: Key;
beforeAll(async () => {
  [a, b] = await Promise.all([key("a"), key("b")]);
});

describe("createAccessVerifier", () => {
  it("accepts the team's token, fetching the keys once for many requests", async () => {
    const { served, fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: "acme.cloudflareaccess.com", aud: AUD }, { fetch });
    for (let i = 0; i < 3; i++)
      expect(await verify(await sign(a))).toEqual({ ok: true, email: "ops@example.com" });
    expect(served.fetches).toBe(1);
    expect(served.urls[0]).toBe(`${TEAM}/cdn-cgi/access/certs`);
  });

  it("fetches again for a key id it does not hold (rotation), but not more often than the cooldown", async () => {
    const { served, fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch, cooldownMs: 0 });
    expect((await verify(await sign(a))).ok).toBe(true);
    served.keys = [a, b];
    expect(await verify(await sign(b))).toEqual({ ok: true, email: "ops@example.com" });
    expect(served.fetches).toBe(2);
    const stranger = await key("c");
    expect(await verify(await sign(stranger))).toEqual({
      ok: false,
      reason: "no key c in the team's key set",
    });
    expect(served.fetches).toBe(3);

    const slow = jwks([a]);
    const guarded = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch: slow.fetch });
    expect((await guarded(await sign(a))).ok).toBe(true);
    slow.served.keys = [a, b];
    for (let i = 0; i < 5; i++) expect((await guarded(await sign(b))).ok).toBe(false);
    expect(slow.served.fetches).toBe(1);
  });

  it("fetches the keys again once they are older than maxAgeMs", async () => {
    const { served, fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch, maxAgeMs: 0 });
    for (let i = 0; i < 3; i++) expect((await verify(await sign(a))).ok).toBe(true);
    expect(served.fetches).toBe(3);
  });

  it("refuses while the keys cannot be fetched, trying again only after the cooldown", async () => {
    const { served, fetch } = jwks([a]);
    served.status = 503;
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch });
    const token = await sign(a);
    expect(await verify(token)).toMatchObject({ ok: false, reason: expect.stringContaining("HTTP 503") });
    expect(await verify(token)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/could not be fetched/),
    });
    expect(served.fetches).toBe(1);

    const retrying = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch, cooldownMs: 0 });
    expect((await retrying(token)).ok).toBe(false);
    served.status = 200;
    expect((await retrying(token)).ok).toBe(true);
  });

  it("refuses another audience and another issuer", async () => {
    const { fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch });
    expect(await verify(await sign(a, {}, { aud: "other-app" }))).toEqual({
      ok: false,
      reason: "audience (aud) is not this application",
    });
    expect(await verify(await sign(a, {}, { iss: "https://evil.cloudflareaccess.com" }))).toEqual({
      ok: false,
      reason: `issuer (iss) is not ${TEAM}`,
    });
  });

  it("refuses an expired token, one not valid yet and one without expiry, with 5 s of leeway", async () => {
    const { fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch });
    const now = Math.floor(Date.now() / 1000);
    expect(await verify(await sign(a, {}, { exp: "-1m" }))).toEqual({ ok: false, reason: "expired (exp)" });
    expect((await verify(await sign(a, {}, { exp: now - 2 }))).ok).toBe(true);
    expect((await verify(await sign(a, {}, { exp: now - 6 }))).ok).toBe(false);
    expect(await verify(await sign(a, { nbf: now + 60 }))).toEqual({
      ok: false,
      reason: "not valid yet (nbf)",
    });
    expect((await verify(await sign(a, { nbf: now + 2 }))).ok).toBe(true);
    const forever = await new SignJWT({ email: "ops@example.com" })
      .setProtectedHeader({ alg: "RS256", kid: "a" })
      .setIssuer(TEAM)
      .setAudience(AUD)
      .sign(a.privateKey);
    expect(await verify(forever)).toEqual({ ok: false, reason: "no expiry (exp)" });
  });

  it("refuses a bad signature: another key under the key id, or claims changed after signing", async () => {
    const { fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch });
    const forged = await sign({ ...b, kid: "a" });
    expect(await verify(forged)).toEqual({ ok: false, reason: "signature verification failed" });
    const [header, , signature] = (await sign(a)).split(".");
    const claims = { email: "boss@example.com", iss: TEAM, aud: [AUD], exp: inFiveMinutes() };
    expect(await verify(`${header}.${segment(claims)}.${signature}`)).toEqual({
      ok: false,
      reason: "signature verification failed",
    });
  });

  it("refuses alg none and HS256 (even keyed with the public key) without fetching the keys", async () => {
    const { served, fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch });
    const unsigned = new UnsecuredJWT({ email: "x@example.com" })
      .setIssuer(TEAM)
      .setAudience(AUD)
      .setExpirationTime("5m")
      .encode();
    expect(await verify(unsigned)).toEqual({ ok: false, reason: "not a signed JWT" });
    expect(await verify(`${unsigned}c2ln`)).toEqual({ ok: false, reason: "algorithm none is not RS256" });
    const hs = await new SignJWT({ email: "x@example.com" })
      .setProtectedHeader({ alg: "HS256", kid: "a" })
      .setIssuer(TEAM)
      .setAudience(AUD)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(JSON.stringify(a.jwk)));
    expect(await verify(hs)).toEqual({ ok: false, reason: "algorithm HS256 is not RS256" });
    expect(served.fetches).toBe(0);
  });

  it("refuses RSA keys shorter than 2048 bits and tokens needing critical header extensions", async () => {
    const short = (await crypto.subtle.generateKey(
      {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: "SHA-256",
      },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const shortJwk = { ...(await exportJWK(short.publicKey)), kid: "short", alg: "RS256" };
    const { served, fetch } = jwks([a]);
    served.keys = [a, { kid: "short", privateKey: short.privateKey, jwk: shortJwk }];
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch });
    const input = `${segment({ alg: "RS256", kid: "short" })}.${segment({ email: "x@example.com", iss: TEAM, aud: AUD, exp: inFiveMinutes() })}`;
    const sig = await crypto.subtle.sign(
      "RSASSA-PKCS1-v1_5",
      short.privateKey,
      new TextEncoder().encode(input),
    );
    expect(await verify(`${input}.${b64url(new Uint8Array(sig))}`)).toEqual({
      ok: false,
      reason: "no key short in the team's key set",
    });
    const critical = await new SignJWT({ email: "ops@example.com" })
      .setProtectedHeader({ alg: "RS256", kid: "a", crit: ["b64"], b64: true })
      .setIssuer(TEAM)
      .setAudience(AUD)
      .setExpirationTime("5m")
      .sign(a.privateKey);
    expect(await verify(critical)).toEqual({
      ok: false,
      reason: "critical header parameters are not supported",
    });
  });

  it("refuses what is not a signed JWT", async () => {
    const { fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch });
    expect(await verify("not.a.jwt")).toMatchObject({ ok: false });
    expect(await verify("")).toEqual({ ok: false, reason: "not a signed JWT" });
    expect(await verify(`${await sign(a)}.extra`)).toEqual({ ok: false, reason: "not a signed JWT" });
    expect(await verify((await sign(a)).replace(".", ".="))).toEqual({
      ok: false,
      reason: "not a signed JWT",
    });
  });

  it("names a service token by its client id", async () => {
    const { fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch });
    const token = await sign(a, { email: undefined, common_name: "abc.access" });
    expect(await verify(token)).toEqual({ ok: true, email: "service token abc.access" });
    const nobody = await sign(a, { email: undefined });
    expect(await verify(nobody)).toEqual({ ok: false, reason: "the token names nobody (no email)" });
  });
});

describe("teamOrigin", () => {
  it("takes a host name or a URL", () => {
    expect(teamOrigin("acme.cloudflareaccess.com")).toBe(TEAM);
    expect(teamOrigin("http://127.0.0.1:4000/")).toBe("http://127.0.0.1:4000");
  });
});
