// Local stand-ins for the cloud APIs the Workers call over HTTP: Turnstile's siteverify, Resend, Sentry's ingest.
//
// Each answers as the real service documents (the same paths, fields and error codes), so the product code path
// is the production one; what arrives is recorded and can be read back (GET /_fake/<service>) by tests.
import { createServer, type IncomingMessage, type Server } from "node:http";

const TURNSTILE = {
  pass: "1x0000000000000000000000000000000AA",
  fail: "2x0000000000000000000000000000000AA",
  spent: "3x0000000000000000000000000000000AA",
  dummy: "XXXX.DUMMY.TOKEN.XXXX",
};

// What the real widget does with a test sitekey, minus the iframe: every .cf-turnstile box gets the dummy token.
const WIDGET_SCRIPT = `for (const box of document.querySelectorAll(".cf-turnstile")) {
  const form = box.closest("form");
  if (!form || form.querySelector("[name=cf-turnstile-response]")) continue;
  const input = document.createElement("input");
  input.type = "hidden";
  input.name = "cf-turnstile-response";
  input.value = ${JSON.stringify(TURNSTILE.dummy)};
  box.append(input);
  box.textContent === "" && box.setAttribute("data-state", "passed");
}`;

export type Fakes = {
  /** http://127.0.0.1:<port> */
  url: string;
  turnstileVerifyUrl: string;
  /** The widget's script: fills every form's cf-turnstile-response with the test token (no challenge, offline). */
  turnstileScriptUrl: string;
  resendUrl: string;
  /** A DSN whose ingest is this server (project 42). */
  sentryDsn: string;
  stop(): Promise<void>;
};

type Recorded = { at: string; headers: Record<string, string>; body: unknown };

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Sentry envelopes: a header line, then item header / payload line pairs. */
export function parseEnvelope(text: string): {
  header: unknown;
  items: Array<{ type: string; payload: unknown }>;
} {
  const lines = text.split("\n").filter((l) => l.length > 0);
  const parse = (l: string | undefined) => {
    try {
      return l === undefined ? null : JSON.parse(l);
    } catch {
      return l ?? null;
    }
  };
  const items: Array<{ type: string; payload: unknown }> = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    items.push({
      type: String((parse(lines[i]) as { type?: unknown } | null)?.type ?? ""),
      payload: parse(lines[i + 1]),
    });
  }
  return { header: parse(lines[0]), items };
}

function siteverify(
  form: URLSearchParams,
): { success: boolean; "error-codes": string[] } & Record<string, unknown> {
  const secret = form.get("secret");
  const token = form.get("response");
  const refuse = (code: string) => ({ success: false, "error-codes": [code] });
  if (!secret) return refuse("missing-input-secret");
  if (!token) return refuse("missing-input-response");
  if (secret === TURNSTILE.fail) return refuse("invalid-input-response");
  if (secret === TURNSTILE.spent) return refuse("timeout-or-duplicate");
  if (secret !== TURNSTILE.pass) return refuse("invalid-input-secret");
  if (token !== TURNSTILE.dummy) return refuse("invalid-input-response");
  return { success: true, "error-codes": [], challenge_ts: new Date().toISOString(), hostname: "localhost" };
}

export async function startFakes(opts: { port: number; log: (line: string) => void }): Promise<Fakes> {
  const recorded = { resend: [] as Recorded[], sentry: [] as Recorded[] };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fakes");
      const body = await readBody(req);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (req.method === "POST" && url.pathname === "/turnstile/v0/siteverify") {
        const form = (headers["content-type"] ?? "").includes("json")
          ? new URLSearchParams(JSON.parse(body || "{}") as Record<string, string>)
          : new URLSearchParams(body);
        return json(200, siteverify(form));
      }
      if (req.method === "POST" && url.pathname === "/resend/emails") {
        // Resend refuses requests without a key or a User-Agent, and validates the fields it needs.
        if (!/^Bearer \S+/.test(headers.authorization ?? ""))
          return json(401, { statusCode: 401, name: "missing_api_key", message: "Missing API key" });
        const mail = JSON.parse(body || "{}") as Record<string, unknown>;
        if (!mail.from || !mail.to || !mail.subject)
          return json(422, {
            statusCode: 422,
            name: "validation_error",
            message: "from, to and subject are required",
          });
        recorded.resend.push({ at: new Date().toISOString(), headers, body: mail });
        return json(200, { id: crypto.randomUUID() });
      }
      const ingest = /^\/sentry\/api\/(\d+)\/envelope\/$/.exec(url.pathname);
      if (req.method === "POST" && ingest) {
        const key =
          url.searchParams.get("sentry_key") ??
          /sentry_key=([^,\s]+)/.exec(headers["x-sentry-auth"] ?? "")?.[1];
        if (!key) return json(403, { detail: "missing authentication" });
        recorded.sentry.push({ at: new Date().toISOString(), headers, body: parseEnvelope(body) });
        return json(200, {
          id: (parseEnvelope(body).header as { event_id?: string } | null)?.event_id ?? null,
        });
      }
      if (req.method === "GET" && url.pathname === "/turnstile/v0/api.js") {
        res.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" });
        res.end(WIDGET_SCRIPT);
        return;
      }
      if (req.method === "GET" && url.pathname === "/_fake/resend") return json(200, recorded.resend);
      if (req.method === "GET" && url.pathname === "/_fake/sentry") return json(200, recorded.sentry);
      json(404, { message: `no fake at ${req.method} ${url.pathname}` });
    })().catch((error: unknown) => {
      opts.log(`fakes: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const url = `http://127.0.0.1:${port}`;
  opts.log(`cloud API fakes on ${url} (Turnstile siteverify, Resend, Sentry ingest)`);
  return {
    url,
    turnstileVerifyUrl: `${url}/turnstile/v0/siteverify`,
    turnstileScriptUrl: `${url}/turnstile/v0/api.js`,
    resendUrl: `${url}/resend`,
    sentryDsn: `http://fakekey@127.0.0.1:${port}/sentry/42`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
