// The switchboard Durable Object: the one current copy of the switches, their audit trail, KV's fallback copies,
// and, while the site is read-only by itself, the probe that hands writes back once the primary is healthy.

import { DurableObject } from "cloudflare:workers";
import { neonConfig } from "@neondatabase/serverless";
import { probeWritable, useLocalNeonProxy, type Writable } from "../db/index.ts";
import { type OriginConfig, originConfig } from "../env/index.ts";
import { log } from "../log/index.ts";
import type { ReadOnlyPut } from "../readonly/index.ts";
import { isAutoReadOnly } from "../readonly/index.ts";
import {
  type AuditRow,
  adopt,
  applyReadOnly,
  type BoardState,
  EMPTY_BOARD,
  notePurge,
  probed,
  publishFlags,
  type Step,
  switchesOf,
  trip,
} from "./board.ts";
import { readCopies, writeFlagsCopy, writeReadOnlyCopy } from "./kv-copies.ts";
import { AUDIT_KEEP, type AuditEntry, auditEntry, BOARD_SCHEMA, boardText, parseBoard } from "./storage.ts";
import type { Switches } from "./switches.ts";

export type TripRequest = { reason: string; detail: string; retryAfter: number };
export type ProbeReport = { tripped: boolean; healthy: boolean | null; detail: string; cleared: boolean };

/** KV keeps one write per second per key: a KV write that failed is retried by the alarm this much later. */
const KV_RETRY_MS = 2_000;
const KV_READ_TIMEOUT_MS = 1_000;
const DEFAULT_PROBE_MS = 2_000;

export class Switchboard extends DurableObject<OriginEnv> {
  #board: BoardState = EMPTY_BOARD;
  /** Test hook (TEST_HOOKS only): until then every call fails at once, as if the object could not be reached. */
  #outageUntil = 0;

  constructor(ctx: DurableObjectState, env: OriginEnv) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(BOARD_SCHEMA);
      const row = ctx.storage.sql
        .exec<{ value: string }>("select value from board where id = 1")
        .toArray()[0];
      this.#board = parseBoard(row?.value) ?? EMPTY_BOARD;
      await this.#reconcile();
    });
  }

  async read(): Promise<Switches> {
    await this.#reachable();
    return switchesOf(this.#board);
  }

  async setReadOnly(put: ReadOnlyPut, actor: string): Promise<Switches> {
    await this.#reachable();
    return this.#commit(applyReadOnly(this.#board, put, actor, Date.now()));
  }

  async publishFlags(flags: { version: string; text: string }, actor: string): Promise<Switches> {
    await this.#reachable();
    return this.#commit(publishFlags(this.#board, flags, actor, Date.now()));
  }

  /** A purge made at one edge isolate, for every other isolate to apply to its hot copies. */
  async notePurge(tags: string[]): Promise<void> {
    await this.#reachable();
    await this.#commit(notePurge(this.#board, tags, Date.now()));
  }

  /** Read-only by itself (an origin isolate saw the primary fail); a no-op when read-only is on already. */
  async trip(why: TripRequest): Promise<{ tripped: boolean; switches: Switches }> {
    await this.#reachable();
    const step = trip(this.#board, why, Date.now());
    const switches = await this.#commit(step);
    if (step.audit.length > 0) log.warn("readonly.tripped", { reason: why.reason, detail: why.detail });
    return { tripped: step.audit.length > 0, switches };
  }

  /** One probe now (operators, tests); the alarm does the same every AUTO_READ_ONLY_PROBE_MS while tripped. */
  async probe(): Promise<ProbeReport> {
    await this.#reachable();
    return this.#probe();
  }

  async audit(limit: number): Promise<AuditEntry[]> {
    await this.#reachable();
    const n = Math.min(Math.max(1, Math.trunc(limit) || 1), AUDIT_KEEP);
    return this.ctx.storage.sql
      .exec<AuditRowSql>("select * from audit order by id desc limit ?", n)
      .toArray()
      .map(auditEntry);
  }

  /** The jobs Worker's cron, every minute: take changes KV got while this object was unreachable; keep the alarm. */
  async kick(): Promise<Switches> {
    await this.#reachable();
    await this.#reconcile();
    await this.#arm();
    return switchesOf(this.#board);
  }

  /**
   * TEST_HOOKS only: behave as unreachable for `ms` (a hung object is the reader's timeout, tested beside it).
   * Deployed bundles keep only the refusal: the build-time constant compiles the outage out.
   */
  async testOutage(ms: number): Promise<void> {
    if (!(globalThis.__TEST_HOOKS__ && this.#config().TEST_HOOKS))
      throw new Error("testOutage needs TEST_HOOKS");
    this.#outageUntil = Date.now() + Math.max(0, ms);
  }

  override async alarm(): Promise<void> {
    if (this.#board.kvDirty) await this.#writeCopies();
    if (isAutoReadOnly(this.#board.readOnly.state)) await this.#probe();
    await this.#arm();
  }

  async #probe(): Promise<ProbeReport> {
    if (!isAutoReadOnly(this.#board.readOnly.state)) {
      return { tripped: false, healthy: null, detail: "not read-only by itself", cleared: false };
    }
    let config: OriginConfig;
    try {
      config = this.#config();
    } catch (error) {
      return { tripped: true, healthy: false, detail: `cannot probe: ${String(error)}`, cleared: false };
    }
    const result = await this.#writable(config);
    const step = probed(this.#board, result, Date.now(), config.AUTO_READ_ONLY_CLEAR_AFTER_MS);
    await this.#commit(step);
    const cleared = step.audit.length > 0;
    if (cleared) log.warn("readonly.cleared", { detail: result.detail });
    return { tripped: !cleared, healthy: result.healthy, detail: result.detail, cleared };
  }

  #writable(config: OriginConfig): Promise<Writable> {
    if (config.NEON_LOCAL_PROXY) useLocalNeonProxy(neonConfig, config.NEON_LOCAL_PROXY);
    return probeWritable(config.DATABASE_URL, config.DB_TIMEOUT_MS);
  }

  /** Stores the step's state and audit rows in one transaction, then brings KV's copies up to date. */
  async #commit(step: Step): Promise<Switches> {
    if (step.next === this.#board) return switchesOf(this.#board);
    const before = this.#board;
    const text = boardText(step.next);
    this.ctx.storage.transactionSync(() => {
      this.ctx.storage.sql.exec(
        "insert into board (id, value) values (1, ?) on conflict (id) do update set value = excluded.value",
        text,
      );
      for (const row of step.audit) insertAudit(this.ctx.storage.sql, row);
    });
    this.#board = step.next;
    const changed = before.readOnly !== step.next.readOnly || before.flags !== step.next.flags;
    if (changed && step.next.kvDirty) await this.#writeCopies();
    await this.#arm();
    return switchesOf(this.#board);
  }

  async #writeCopies(): Promise<void> {
    const { readOnly, flags } = this.#board;
    try {
      await Promise.all([
        writeReadOnlyCopy(this.env.CONFIG, readOnly),
        flags && writeFlagsCopy(this.env.CONFIG, flags),
      ]);
      // Another change may have landed while KV was written: then KV is behind again, and stays marked so.
      if (this.#board.readOnly !== readOnly || this.#board.flags !== flags) return;
      this.#board = { ...this.#board, kvDirty: false };
      this.ctx.storage.sql.exec("update board set value = ? where id = 1", boardText(this.#board));
    } catch (error) {
      // The object stays right; KV (the fallback) catches up at the next alarm.
      log.warn("switchboard.kv_write_failed", { error: String(error) });
    }
  }

  async #reconcile(): Promise<void> {
    try {
      const step = adopt(this.#board, await readCopies(this.env.CONFIG, KV_READ_TIMEOUT_MS), Date.now());
      if (step.next === this.#board) return;
      for (const row of step.audit) log.warn(row.action, { detail: row.detail, by: row.actor });
      // Taken from KV, so KV needs no write back.
      await this.#commit({ next: { ...step.next, kvDirty: this.#board.kvDirty }, audit: step.audit });
    } catch (error) {
      log.warn("switchboard.kv_read_failed", { error: String(error) });
    }
  }

  /** The next alarm: soon while KV is behind, every probe interval while tripped, none otherwise. */
  async #arm(): Promise<void> {
    const tripped = isAutoReadOnly(this.#board.readOnly.state);
    const due = this.#board.kvDirty ? KV_RETRY_MS : tripped ? this.#probeEvery() : null;
    if (due === null) return;
    const current = await this.ctx.storage.getAlarm();
    const at = Date.now() + due;
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  #config(): OriginConfig {
    return originConfig(this.env);
  }

  /** A misconfigured origin still keeps the switches; its probe then fails (and says why) at the default pace. */
  #probeEvery(): number {
    try {
      return this.#config().AUTO_READ_ONLY_PROBE_MS;
    } catch {
      return DEFAULT_PROBE_MS;
    }
  }

  async #reachable(): Promise<void> {
    if (globalThis.__TEST_HOOKS__ && Date.now() < this.#outageUntil) {
      throw new Error("the switchboard is unreachable (test outage)");
    }
  }
}

type AuditRowSql = {
  id: number;
  at: number;
  actor: string;
  action: string;
  detail: string;
  before: string | null;
  after: string | null;
};

function insertAudit(sql: SqlStorage, row: AuditRow): void {
  sql.exec(
    "insert into audit (at, actor, action, detail, before, after) values (?, ?, ?, ?, ?, ?)",
    row.at,
    row.actor,
    row.action,
    row.detail,
    JSON.stringify(row.before ?? null),
    JSON.stringify(row.after ?? null),
  );
  sql.exec("delete from audit where id <= (select max(id) from audit) - ?", AUDIT_KEEP);
}
