// Unleash's own client specification, through the importer and the evaluator: every case passes, or is one of the
// deliberate differences listed in docs/flags-unleash.md (and a listed case that starts passing fails this test).
import { describe, expect, it } from "vitest";
import { compile, type EvalContext, evaluate, type FlagResult } from "../flags/index.ts";
import { fromUnleash } from "./unleash-import.ts";

declare global {
  interface ImportMeta {
    glob<T>(pattern: string, options: { eager: true; import?: string; query?: string }): Record<string, T>;
  }
}

interface Case {
  description: string;
  context: Record<string, unknown>;
  toggleName: string;
  expectedResult: unknown;
}
interface Spec {
  name: string;
  state: unknown;
  tests?: Case[];
  variantTests?: Case[];
}

const files = import.meta.glob<Spec>("./unleash-spec/[0-9]*.json", { eager: true, import: "default" });
const doc = Object.values(
  import.meta.glob<string>("../../docs/flags-unleash.md", { eager: true, query: "?raw", import: "default" }),
)[0];

/** The rows of a Markdown table between `<!-- name:start -->` and `<!-- name:end -->`, as cells. */
function table(name: string): string[][] {
  const start = doc?.indexOf(`<!-- ${name}:start -->`) ?? -1;
  const end = doc?.indexOf(`<!-- ${name}:end -->`) ?? -1;
  if (!doc || start < 0 || end < start) throw new Error(`docs/flags-unleash.md has no ${name} table`);
  return doc
    .slice(start, end)
    .split("\n")
    .filter((l) => l.startsWith("|") && !/^\|\s*-/.test(l))
    .slice(1)
    .map((l) =>
      l
        .slice(1, -1)
        .split(" | ")
        .map((c) => c.trim().replace(/^`|`$/g, "")),
    );
}

/** Unleash's context as ours: sessionId is the anonymous id, remoteAddress the IP, everything else a property. */
function contextOf(u: Record<string, unknown>): EvalContext {
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...u, ...(u.properties as object) }))
    if (
      typeof v === "string" &&
      !["userId", "sessionId", "remoteAddress", "currentTime", "properties"].includes(k)
    )
      props[k] = v;
  const s = (k: string) => (typeof u[k] === "string" ? (u[k] as string) : undefined);
  return {
    userId: s("userId"),
    anonymousId: s("sessionId"),
    ip: s("remoteAddress"),
    now: s("currentTime") ? Date.parse(s("currentTime") as string) : Date.now(),
    properties: (name) => props[name],
  };
}

/** Our answer in Unleash's getVariant shape: "disabled" unless a named variant was served. */
function variantOf(r: FlagResult) {
  if (!r.value) return { name: "disabled", enabled: false, feature_enabled: false };
  if (r.variant === "on") return { name: "disabled", enabled: false, feature_enabled: true };
  return {
    name: r.variant,
    ...(r.payload ? { payload: r.payload } : {}),
    enabled: true,
    feature_enabled: true,
  };
}

const differences = new Map(
  table("deliberate-differences").map(([file, what, why]) => [`${file} › ${what}`, why]),
);
const outcomes = new Map<string, { cases: number; pass: number; listed: number }>();

for (const [path, spec] of Object.entries(files).sort()) {
  const file = path.slice(path.lastIndexOf("/") + 1);
  const out = { cases: 0, pass: 0, listed: 0 };
  outcomes.set(file, out);
  describe(file, () => {
    const imported = fromUnleash(spec.state);
    const compiled = compile({ version: "spec", flags: imported.flags, segments: imported.segments });
    const keyOf = (name: string) =>
      Object.keys(imported.flags).find((k) => k === name || imported.flags[k]?.groupId === name) ?? name;

    it("imports into documents the evaluator accepts", () => {
      expect(compiled.problems).toEqual([]);
    });

    const cases = [
      ...(spec.tests ?? []).map((c) => ({ c, variant: false })),
      ...(spec.variantTests ?? []).map((c) => ({ c, variant: true })),
    ];
    for (const { c, variant } of cases) {
      const id = `${file} › ${c.description}`;
      const why = differences.get(id);
      out.cases++;
      it(`${c.description}${why ? " (deliberate difference)" : ""}`, () => {
        const r = evaluate(compiled, keyOf(c.toggleName), contextOf(c.context));
        const actual = variant ? variantOf(r) : r.value;
        if (why) {
          out.listed++;
          expect(
            actual,
            `listed as a deliberate difference (${why}) but now passes: take it off the list`,
          ).not.toEqual(c.expectedResult);
        } else {
          expect(actual).toEqual(c.expectedResult);
          out.pass++;
        }
      });
    }
  });
}

describe("the documented results", () => {
  it("every listed difference names a real case", () => {
    const all = new Set<string>();
    for (const [path, spec] of Object.entries(files)) {
      const file = path.slice(path.lastIndexOf("/") + 1);
      for (const c of [...(spec.tests ?? []), ...(spec.variantTests ?? [])])
        all.add(`${file} › ${c.description}`);
    }
    expect([...differences.keys()].filter((k) => !all.has(k))).toEqual([]);
    expect(Object.keys(files)).toHaveLength(22);
  });

  it("the per-file table in docs/flags-unleash.md matches this run", () => {
    const rows = table("spec-results").filter(([file]) => file?.endsWith(".json"));
    const measured = [...outcomes].map(([file, o]) => [
      file,
      String(o.cases),
      String(o.pass),
      String(o.listed),
    ]);
    expect(rows).toEqual(measured);
  });
});
