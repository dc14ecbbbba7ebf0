// A stand-in for a Cloudflare Access team on localhost: its signing keys (made here) and the JWKS it publishes.
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, type JWK } from "jose";

export interface FakeAccess {
  /** ACCESS_TEAM_DOMAIN for the origin: the issuer of the tokens, serving /cdn-cgi/access/certs. */
  teamDomain: string;
  aud: string;
  /** Private key (JWK) a test signs tokens with; its kid is in the published set. */
  privateJwk: JWK;
  kid: string;
  stop(): Promise<void>;
}

export async function startFakeAccess(): Promise<FakeAccess> {
  const kid = `test-${Date.now().toString(36)}`;
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === "/cdn-cgi/access/certs") {
      fetches++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [publicJwk] }));
    } else if (req.url === "/fetches") {
      // How often the keys were fetched: the origin must cache them, not fetch per request.
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ fetches }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    teamDomain: `http://127.0.0.1:${port}`,
    aud: `aud-${kid}`,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "RS256" },
    kid,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
