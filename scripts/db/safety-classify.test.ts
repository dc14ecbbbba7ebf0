// What makes an observed migration dangerous: a lock the app would wait on, held while rewriting or scanning.
import { describe, expect, it } from "vitest";
import {
  blockingMs,
  classify,
  conflicts,
  type LockSeen,
  type Observation,
  type StatementSeen,
} from "./safety-classify.ts";

const app: LockSeen[] = [
  { relation: "t", mode: "AccessShareLock", granted: true },
  { relation: "t", mode: "RowExclusiveLock", granted: true },
];
const lock = (mode: LockSeen["mode"], relation = "t"): LockSeen => ({ relation, mode, granted: true });
const stmt = (s: Partial<StatementSeen>): StatementSeen => ({
  sql: "x",
  ms: 5,
  locks: [],
  rewritten: [],
  ...s,
});
const obs = (statements: StatementSeen[], o: Partial<Observation> = {}): Observation => ({
  rows: { t: 5000, lookup: 10 },
  appLocks: app,
  statements,
  appBroken: [],
  relations: ["t:r:false"],
  ...o,
});

describe("conflicts", () => {
  it("follows PostgreSQL's lock conflict table", () => {
    expect(conflicts("AccessExclusiveLock", "AccessShareLock")).toBe(true);
    expect(conflicts("ShareLock", "RowExclusiveLock")).toBe(true);
    expect(conflicts("ShareLock", "AccessShareLock")).toBe(false);
    expect(conflicts("ShareUpdateExclusiveLock", "RowExclusiveLock")).toBe(false);
    expect(conflicts("ShareUpdateExclusiveLock", "ShareUpdateExclusiveLock")).toBe(true);
    expect(conflicts("RowExclusiveLock", "RowExclusiveLock")).toBe(false);
  });
});

describe("classify", () => {
  it("calls a rewrite or a scan dangerous only under a lock the app's statements conflict with", () => {
    expect(classify(obs([stmt({ locks: [lock("AccessExclusiveLock")], rewritten: ["t"] })]))).toEqual([
      "rewrite",
    ]);
    expect(classify(obs([stmt({ locks: [lock("ShareLock")], rowsRead: { t: 5000 } })]))).toEqual(["scan"]);
    expect(
      classify(obs([stmt({ locks: [lock("ShareUpdateExclusiveLock")], rowsRead: { t: 5000 } })])),
    ).toEqual([]);
    expect(
      classify(obs([stmt({ locks: [lock("AccessExclusiveLock", "other")], rewritten: ["other"] })])),
    ).toEqual([]);
  });

  it("needs at least half the rows of a filled table for a scan", () => {
    const read = (rowsRead: Record<string, number>) =>
      classify(obs([stmt({ locks: [lock("AccessExclusiveLock")], rowsRead })]));
    expect(read({ t: 100 })).toEqual([]);
    expect(read({ t: 2500 })).toEqual(["scan"]);
    expect(read({ lookup: 10 })).toEqual([]);
  });

  it("reports errors and app statements that stop working", () => {
    expect(classify(obs([stmt({ error: "boom" })]))).toEqual(["fails"]);
    expect(classify(obs([stmt({})], { appBroken: ["SELECT note FROM t"] }))).toEqual(["breaks-app"]);
  });

  it("calls a blocking lock avoidable only when the alternative reaches the same relations without one", () => {
    const plain = obs([stmt({ locks: [lock("AccessExclusiveLock")] })]);
    const concurrent = obs([stmt({ locks: [lock("ShareUpdateExclusiveLock")] })]);
    expect(classify(plain)).toEqual([]);
    expect(classify(plain, concurrent)).toEqual(["avoidable"]);
    expect(classify(plain, { ...concurrent, relations: ["t:r:false", "t_idx:i:false"] })).toEqual([]);
    expect(classify(plain, plain)).toEqual([]);
  });
});

describe("blockingMs", () => {
  it("counts from the first statement that ends holding a blocking lock to the end of the migration", () => {
    const o = obs([stmt({ ms: 3 }), stmt({ ms: 7, locks: [lock("AccessExclusiveLock")] }), stmt({ ms: 20 })]);
    expect(blockingMs(o)).toBe(27);
    expect(blockingMs(obs([stmt({ ms: 3 })]))).toBe(0);
  });
});
