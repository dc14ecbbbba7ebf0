// Test double for Neon's HTTP SQL endpoint: answers by host and SQL, and records every request.
import { neonConfig } from "@neondatabase/serverless";

export type FakeQuery = { query: string; params: unknown[] };
export type FakeCall = {
  host: string;
  queries: FakeQuery[];
  batch: boolean;
  headers: Record<string, string>;
};
export type FakeResult =
  | { fields: string[]; rows: Array<Array<string | null>> }
  | { error: string; code: string };
/** "hang": the server accepted the request and never answers (a stopped process), until the fetch is aborted. */
export type FakeHandler = (host: string, q: FakeQuery) => FakeResult | "hang";

/** Installs a fetchFunction on the global neonConfig; call the returned restore() after the test. */
export function installFakeNeon(handler: FakeHandler): { calls: FakeCall[]; restore: () => void } {
  const calls: FakeCall[] = [];
  const previous: unknown = neonConfig.fetchFunction;
  neonConfig.fetchFunction = async (_url: string, init: RequestInit) => {
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const host = new URL(headers["neon-connection-string"] ?? "postgres://none").hostname;
    const body = JSON.parse(String(init.body)) as FakeQuery | { queries: FakeQuery[] };
    const batch = "queries" in body;
    const queries = "queries" in body ? body.queries : [body];
    calls.push({ host, queries, batch, headers });
    const answers = queries.map((q) => handler(host, q));
    if (answers.includes("hang")) {
      return new Promise<Response>((_, reject) => {
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    }
    const results = answers.filter((r): r is FakeResult => r !== "hang");
    const failed = results.find((r) => "error" in r);
    if (failed && "error" in failed)
      return Response.json({ message: failed.error, code: failed.code }, { status: 400 });
    const wire = results.map((r) =>
      "fields" in r
        ? {
            command: "SELECT",
            rowCount: r.rows.length,
            rows: r.rows,
            fields: r.fields.map((name) => ({ name, dataTypeID: name === "id" ? 23 : 25 })),
          }
        : r,
    );
    return Response.json(batch ? { results: wire } : wire[0]);
  };
  const restore = () => {
    neonConfig.fetchFunction = previous;
  };
  return { calls, restore };
}
