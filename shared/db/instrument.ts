// Wraps the Neon drivers so every real round trip is timed, read-only mode is enforced by Postgres itself.
import {
  type NeonQueryFunction,
  NeonQueryPromise,
  type ParameterizedQuery,
  type PoolClient,
  type SqlTemplate,
} from "@neondatabase/serverless";
import { withTimeout } from "../deadline/index.ts";
import type { PoolKind, QueryLog } from "./accounting.ts";
import { DatabaseTimeoutError, isConnectionFailure } from "./errors.ts";

type Http = NeonQueryFunction<false, false>;
type HttpQuery = NeonQueryPromise<false, false>;

export type PoolHooks = {
  pool: string;
  kind: PoolKind;
  log: QueryLog;
  /** Run everything as READ ONLY batches so Postgres refuses writes (SQLSTATE 25006). */
  readOnly?: boolean;
  /** SET LOCAL statement_timeout inside the same request (long reporting queries). */
  statementTimeoutMs?: number;
  /** Called as a round trip that may write starts; the function it returns, when it ends. */
  onWrite?: () => () => void;
  /** Deadline per round trip: the fetch is abandoned and DatabaseTimeoutError thrown (a stopped server never answers). */
  timeoutMs?: number;
  /** Replicas: where a read goes when the replica cannot be reached at all (not on SQL errors). */
  fallback?: { sql: Http; hooks: PoolHooks; onFailure: (error: unknown) => void };
};

/**
 * Returns a neon() function drizzle can use. Single queries stay lazy NeonQueryPromises (drizzle's
 * batch collects them unexecuted), so a batch is timed once, in `transaction`, as one round trip.
 */
export function instrumentHttp(sql: Http, hooks: PoolHooks): Http {
  const wrap = (inner: HttpQuery): HttpQuery =>
    new NeonQueryPromise<false, false>(
      (data, opts) => {
        const text = queryText(inner.queryData);
        const run = timed(hooks, [text], async (signal) => {
          if (!hooks.readOnly && !hooks.statementTimeoutMs)
            return inner.execute(data, withSignal(opts as QueryOptions | undefined, signal));
          // Only a batch can carry READ ONLY / SET LOCAL, so a lone query becomes a batch of one.
          const results = await sql.transaction(
            [...prelude(sql, hooks), inner],
            withSignal(txOptions(hooks), signal),
          );
          return results[results.length - 1];
        });
        const fallback = hooks.fallback;
        if (!fallback) return run;
        return run.catch((error: unknown) => {
          if (!isConnectionFailure(error)) throw error;
          // A replica that died since the last probe: this read goes to the primary instead of failing.
          fallback.onFailure(error);
          const q = fallback.sql.query(text, queryParams(inner.queryData), inner.opts);
          return timed(fallback.hooks, [text], (signal) =>
            q.execute(data, withSignal(opts as QueryOptions | undefined, signal)),
          );
        });
      },
      inner.queryData,
      inner.opts,
    );

  const wrapped = ((strings: TemplateStringsArray, ...params: unknown[]) =>
    wrap(sql(strings, ...params))) as Http;
  wrapped.query = ((text: string, params?: unknown[], opts?: object) =>
    wrap(sql.query(text, params, opts))) as Http["query"];
  wrapped.unsafe = sql.unsafe;
  wrapped.transaction = ((queriesOrFn: HttpQuery[] | ((s: Http) => HttpQuery[]), opts?: object) => {
    const queries = typeof queriesOrFn === "function" ? queriesOrFn(sql) : queriesOrFn;
    const texts = queries.map((q) => queryText(q.queryData));
    return timed(hooks, texts, async (signal) => {
      const pre = prelude(sql, hooks);
      const results = await sql.transaction(
        [...pre, ...queries],
        withSignal({ ...opts, ...txOptions(hooks) }, signal),
      );
      return results.slice(pre.length);
    });
  }) as Http["transaction"];
  return wrapped;
}

/** Times each query on a WebSocket client (interactive transactions: every statement is a round trip). */
export function instrumentPgClient(client: PoolClient, hooks: PoolHooks): void {
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  const query = (...args: unknown[]): unknown => {
    // Callback style is not used by drizzle; pass it through rather than guess its result.
    if (typeof args[args.length - 1] === "function") return original(...args);
    const first = args[0];
    const text =
      typeof first === "string" ? first : String((first as { text?: unknown } | undefined)?.text ?? "");
    return timed(hooks, [text], () => original(...args) as Promise<unknown>);
  };
  client.query = query as PoolClient["query"];
}

/** Conservative: anything not plainly a read may write (a CTE can hide an INSERT). */
export function mayWrite(text: string): boolean {
  const head = text.trimStart().replace(/^\(+/, "").slice(0, 10).toLowerCase();
  if (/^(select|show|explain|values)\b/.test(head)) return false;
  if (/^with\b/.test(head)) return /\b(insert|update|delete|merge)\b/i.test(text);
  if (/^(begin|commit|rollback|savepoint|release|set)\b/.test(head)) return false;
  return true;
}

function queryText(data: SqlTemplate | ParameterizedQuery): string {
  return "query" in data ? data.query : data.toParameterizedQuery().query;
}

function queryParams(data: SqlTemplate | ParameterizedQuery): unknown[] {
  return "query" in data ? data.params : data.toParameterizedQuery().params;
}

type QueryOptions = { fetchOptions?: Record<string, unknown> } & Record<string, unknown>;

function withSignal<O extends QueryOptions | undefined>(opts: O, signal: AbortSignal | undefined) {
  if (!signal) return opts;
  return { ...opts, fetchOptions: { ...opts?.fetchOptions, signal } } as NonNullable<O>;
}

/** One round trip: logged, bracketed as a write when any statement in it may write, and bounded in time. */
async function timed<T>(
  hooks: PoolHooks,
  texts: string[],
  run: (signal?: AbortSignal) => Promise<T>,
): Promise<T> {
  const end = hooks.onWrite && hooks.kind === "primary" && texts.some(mayWrite) ? hooks.onWrite() : undefined;
  try {
    return await hooks.log.time(hooks.pool, hooks.kind, texts, () => withDeadline(hooks, run));
  } finally {
    end?.();
  }
}

/**
 * A stopped server accepts the connection and never answers: without a deadline the request hangs until the
 * client gives up. A write that timed out may still commit; callers make writes safe to retry (natural keys,
 * idempotency keys, the job outbox).
 */
function withDeadline<T>(
  hooks: Pick<PoolHooks, "pool" | "timeoutMs">,
  run: (signal?: AbortSignal) => Promise<T>,
): Promise<T> {
  const ms = hooks.timeoutMs;
  if (!ms) return run(undefined);
  return withTimeout(run, ms, { error: () => new DatabaseTimeoutError(hooks.pool, ms) });
}

function prelude(sql: Http, hooks: PoolHooks): HttpQuery[] {
  if (!hooks.statementTimeoutMs) return [];
  return [sql.query("select set_config('statement_timeout', $1, true)", [String(hooks.statementTimeoutMs)])];
}

function txOptions(hooks: PoolHooks): { readOnly?: boolean } {
  return hooks.readOnly ? { readOnly: true } : {};
}
