import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
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
  opts: { exp?: string; iss?: string; aud?: string } = {},
) {
  return new SignJWT({ email: "ops@example.com", type: "app", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: k.kid })
    .setIssuer(opts.iss ?? TEAM)
    .setAudience([opts.aud ?? AUD])
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? "5m")
    .sign(k.privateKey);
}

/** A JWKS endpoint serving `keys`, counting fetches. */
function jwks(keys: Key[]) {
  const served = { keys, fetches: 0, urls: [] as string[] };
  const fetch = async (url: string) => {
    served.fetches++;
    served.urls.push(url);
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

    const slow = jwks([a]);
    const guarded = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch: slow.fetch });
    expect((await guarded(await sign(a))).ok).toBe(true);
    for (let i = 0; i < 5; i++) expect((await guarded(await sign(b))).ok).toBe(false);
    expect(slow.served.fetches).toBe(1);
  });

  it("refuses another audience, another issuer, an expired token, a forged signature and other algorithms", async () => {
    const { fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch });
    expect((await verify(await sign(a, {}, { aud: "other-app" }))).ok).toBe(false);
    expect((await verify(await sign(a, {}, { iss: "https://evil.cloudflareaccess.com" }))).ok).toBe(false);
    const expired = await verify(await sign(a, {}, { exp: "-1m" }));
    expect(expired).toMatchObject({ ok: false, reason: expect.stringMatching(/exp/) });
    const forged = await sign({ ...b, kid: "a" });
    expect((await verify(forged)).ok).toBe(false);
    const hs = await new SignJWT({ email: "x@example.com" })
      .setProtectedHeader({ alg: "HS256", kid: "a" })
      .setIssuer(TEAM)
      .setAudience(AUD)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("a-shared-secret-of-enough-length"));
    expect((await verify(hs)).ok).toBe(false);
    expect((await verify("not.a.jwt")).ok).toBe(false);
  });

  it("names a service token by its client id", async () => {
    const { fetch } = jwks([a]);
    const verify = createAccessVerifier({ teamDomain: TEAM, aud: AUD }, { fetch });
    const token = await sign(a, { email: undefined, common_name: "abc.access" });
    expect(await verify(token)).toEqual({ ok: true, email: "service token abc.access" });
  });
});

describe("teamOrigin", () => {
  it("takes a host name or a URL", () => {
    expect(teamOrigin("acme.cloudflareaccess.com")).toBe(TEAM);
    expect(teamOrigin("http://127.0.0.1:4000/")).toBe("http://127.0.0.1:4000");
  });
});
