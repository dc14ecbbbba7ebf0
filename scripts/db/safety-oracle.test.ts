// PostgreSQL as the oracle: each corpus case runs on filled tables; what PostgreSQL does decides whether it is
// dangerous, the corpus' own label must agree, and the checker must flag the dangerous cases and not the safe ones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "./catalog.ts";
import { loadCatalog } from "./db-catalog.ts";
import { checkMigrations } from "./migration-rules.ts";
import { blockingMs, classify, type Danger, type Observation } from "./safety-classify.ts";
import { CORPUS, ROWS, type SafetyCase } from "./safety-corpus/index.ts";
import { closeLane, type Lane, observe, openLane } from "./safety-observe.ts";
import { isNonTransactional, splitStatements } from "./sql-split.ts";
import { startTestPostgres, type TestPostgres } from "./test-postgres.ts";

interface Result {
  c: SafetyCase;
  obs: Observation;
  dangers: Danger[];
  /** Rules the checker reports with the case's database catalog, and without any database. */
  online: string[];
  offline: string[];
}

// Parallel lanes for the transactional cases (2 cores: more only queue), plus one for the rest.
const LANES = 3;
const GOAL = { detected: 0.95, falsePositives: 0.05 };

let server: TestPostgres;
const results: Result[] = [];
let seconds = 0;

/** The checker's errors for the migration, with the setup as the migrations before it. */
const rulesFor = (c: SafetyCase, catalog?: Catalog): string[] =>
  checkMigrations(
    [
      { file: "setup.sql", sql: c.setup },
      { file: "migration.sql", sql: c.migration },
    ],
    catalog,
  )
    .filter((f) => f.file === "migration.sql" && f.severity === "error")
    .map((f) => f.rule);

async function observeAll(cases: SafetyCase[], lanes: Lane[], catalogs: Map<string, Catalog>) {
  const seen = new Map<string, Observation>();
  const queue = [...cases];
  await Promise.all(
    lanes.map(async (lane) => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const { id, setup, migration } = c;
        const loadInto = async (a: Lane["a"]) =>
          void catalogs.set(id, await loadCatalog(a, [setup, migration], "the oracle's PostgreSQL"));
        seen.set(id, await observe(lane, `case_${id.replace(/-/g, "_")}`, c, loadInto));
      }
    }),
  );
  return seen;
}

beforeAll(async () => {
  const started = performance.now();
  server = await startTestPostgres();
  const lanes = await Promise.all(Array.from({ length: LANES + 1 }, () => openLane(server.url)));
  const [alone, ...parallel] = lanes as [Lane, ...Lane[]];
  // Exact counts: no autovacuum touching the tables, no parallel workers reading on the side.
  for (const setting of ["autovacuum = off", "max_parallel_maintenance_workers = 0"])
    await alone.a.query(`ALTER SYSTEM SET ${setting}`);
  await alone.a.query("ALTER SYSTEM SET max_parallel_workers_per_gather = 0");
  await alone.a.query("SELECT pg_reload_conf()");
  // Statements that refuse a transaction wait for open transactions: they get a lane of their own.
  const outside = (c: SafetyCase) => splitStatements(c.migration).some(isNonTransactional);
  const catalogs = new Map<string, Catalog>();
  const [a, b] = await Promise.all([
    observeAll(CORPUS.filter(outside), [alone], catalogs),
    observeAll(
      CORPUS.filter((c) => !outside(c)),
      parallel,
      catalogs,
    ),
  ]);
  await Promise.all(lanes.map(closeLane));
  const observed = new Map([...a, ...b]);
  for (const c of CORPUS) {
    const obs = observed.get(c.id);
    if (!obs) throw new Error(`${c.id} was not observed`);
    const dangers = classify(obs, c.alternative ? observed.get(c.alternative) : undefined);
    results.push({ c, obs, dangers, online: rulesFor(c, catalogs.get(c.id)), offline: rulesFor(c) });
  }
  seconds = (performance.now() - started) / 1000;
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

const agrees = ({ c, dangers }: Result) =>
  c.verdict === "safe" ? dangers.length === 0 : dangers.includes(c.verdict);

function rates(flagged: (r: Result) => string[]) {
  const dangerous = results.filter((r) => r.dangers.length > 0);
  const safe = results.filter((r) => r.dangers.length === 0);
  const hit = dangerous.filter((r) => flagged(r).length > 0);
  const falseAlarms = safe.filter((r) => flagged(r).length > 0);
  return {
    dangerous: dangerous.length,
    safe: safe.length,
    detected: hit.length / dangerous.length,
    falsePositives: falseAlarms.length / safe.length,
    missed: dangerous.filter((r) => flagged(r).length === 0).map((r) => r.c.id),
    falseAlarms: falseAlarms.map((r) => r.c.id),
  };
}

function report(): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const rows = results.map((r) => {
    const seen = r.dangers.join(",") || "safe";
    const ok = agrees(r) && r.dangers.length > 0 === r.online.length > 0 ? " " : "✗";
    const held = `${blockingMs(r.obs).toFixed(1)} ms`;
    return `${ok} ${r.c.id.padEnd(50)} ${seen.padEnd(18)} ${held.padStart(9)}  ${r.online.join(",") || "-"}`;
  });
  const on = rates((r) => r.online);
  const off = rates((r) => r.offline);
  return [
    `  ${"case".padEnd(50)} ${"PostgreSQL saw".padEnd(18)} ${"blocking".padStart(9)}  checker (with catalog)`,
    ...rows,
    `${results.length} cases on ${ROWS}-row tables, ${on.dangerous} dangerous, ${on.safe} safe, observed in ${seconds.toFixed(1)} s`,
    `with the database's catalog: ${pct(on.detected)} of dangerous cases flagged, ${pct(on.falsePositives)} of safe ones`,
    `offline (built-in list):     ${pct(off.detected)} of dangerous cases flagged, ${pct(off.falsePositives)} of safe ones`,
  ].join("\n");
}

describe("the migration safety corpus, judged by PostgreSQL", () => {
  it("is well formed: unique ids, both kinds of case, alternatives that exist and are safe", () => {
    const ids = CORPUS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    for (const c of CORPUS.filter((x) => x.verdict === "avoidable")) {
      const alt = CORPUS.find((x) => x.id === c.alternative);
      expect({ id: c.id, setup: alt?.setup, verdict: alt?.verdict }).toEqual({
        id: c.id,
        setup: c.setup,
        verdict: "safe",
      });
    }
  });

  it("agrees with every label: PostgreSQL does what each case says", () => {
    const disagreements = results
      .filter((r) => !agrees(r))
      .map((r) => ({ id: r.c.id, label: r.c.verdict, observed: r.dangers }));
    expect(disagreements).toEqual([]);
  });

  it(`the checker flags ≥ ${GOAL.detected * 100} % of dangerous cases and ≤ ${GOAL.falsePositives * 100} % of safe ones`, () => {
    console.log(report());
    for (const flagged of [(r: Result) => r.online, (r: Result) => r.offline]) {
      const r = rates(flagged);
      expect(r.dangerous).toBeGreaterThan(0);
      expect(r.safe).toBeGreaterThan(0);
      expect({ detected: r.detected, missed: r.missed }).toEqual({
        detected: expect.toSatisfy((x: number) => x >= GOAL.detected),
        missed: expect.any(Array),
      });
      expect({ falsePositives: r.falsePositives, falseAlarms: r.falseAlarms }).toEqual({
        falsePositives: expect.toSatisfy((x: number) => x <= GOAL.falsePositives),
        falseAlarms: expect.any(Array),
      });
    }
  });
});
