// The REGEX options for the edge, measured side by side: our linear-time engine, re2js (what unleash-client uses) and
// the platform's backtracking RegExp. Size in the bundle, time on typical patterns, time on hostile ones
// (`npx tsx bench/flags-regex.ts`).
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { RE2JS } from "re2js";
import { compileRegex, regexMatches } from "../shared/flags/index.ts";

const root = new URL("..", import.meta.url).pathname;

// The entry is written under .build (ignored by git) so its imports resolve from the project.
function bundled(source: string): { min: number; gzip: number } {
  mkdirSync(`${root}.build`, { recursive: true });
  const entry = `${root}.build/regex-size-entry.ts`;
  writeFileSync(entry, source);
  try {
    const out = execFileSync("npx", ["esbuild", entry, "--bundle", "--minify", "--format=esm"], {
      cwd: root,
    });
    return { min: out.length, gzip: gzipSync(out).length };
  } finally {
    rmSync(entry, { force: true });
  }
}

function time(fn: () => boolean, budgetMs = 300): number {
  let n = 0;
  const start = performance.now();
  let sink = 0;
  while (performance.now() - start < budgetMs) {
    for (let i = 0; i < 100; i++) if (fn()) sink++;
    n += 100;
  }
  if (sink < 0) console.log(sink);
  return ((performance.now() - start) * 1e6) / n;
}

/** One call's wall time, for the hostile cases where one call may take seconds. */
function once(fn: () => boolean): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const fmt = (ns: number) =>
  ns >= 1e6
    ? `${(ns / 1e6).toFixed(1)} ms`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(2)} µs`
      : `${ns.toFixed(0)} ns`;

console.log("Bundle cost (minified, gzip)");
for (const [name, src] of [
  [
    "ours (shared/flags/regex.ts)",
    'export { compileRegex } from "../shared/flags/index.ts"; export { regexMatches } from "../shared/flags/index.ts";',
  ],
  ["re2js", 'import { RE2JS } from "re2js"; export const m = (p, s) => RE2JS.compile(p).matcher(s).find();'],
] as const) {
  const { min, gzip } = bundled(src);
  console.log(`  ${name.padEnd(32)} ${String(min).padStart(7)} B  ${String(gzip).padStart(6)} B gzip`);
}

const typical: [string, string][] = [
  ["^[^@]+@[^@]+$", "ada.lovelace@example.com"],
  ["^user\\d{3}$", "user123"],
  ["\\bcat\\b", "a cat in a hat"],
  ["^(?i)abc$", "AbC"],
  ["^[[:alpha:]]+$", "AlphaBeta"],
];
console.log("\nTypical patterns, per match (compiled once)");
for (const [p, s] of typical) {
  const ours = compileRegex(p);
  const theirs = RE2JS.compile(p);
  const js = new RegExp(
    p.replace("(?i)", "").replace("[[:alpha:]]", "[A-Za-z]"),
    p.includes("(?i)") ? "i" : "",
  );
  console.log(
    `  ${p.padEnd(18)} ours ${fmt(time(() => regexMatches(ours, s))).padStart(9)}   re2js ${fmt(time(() => theirs.matcher(s).find())).padStart(9)}   RegExp ${fmt(time(() => js.test(s))).padStart(9)}`,
  );
}

// Star height 1, no backreference, no lookaround: a "safe subset" filter would let these through.
const hostile: [string, string][] = [
  ["^(a|a)*$", `${"a".repeat(28)}b`],
  ["^(a|aa)*c$", `${"a".repeat(40)}b`],
  ["^a*a*a*a*a*b$", "a".repeat(100)],
  ["^(?:\\w+\\s?)*$", `${"word ".repeat(6)}!`],
];
console.log("\nHostile patterns a star-height-1 subset accepts, one call");
for (const [p, s] of hostile) {
  const ours = compileRegex(p);
  const theirs = RE2JS.compile(p);
  const js = new RegExp(p);
  console.log(
    `  ${p.padEnd(18)} input ${String(s.length).padStart(4)}  ours ${once(() => regexMatches(ours, s))
      .toFixed(2)
      .padStart(7)} ms   re2js ${once(() => theirs.matcher(s).find())
      .toFixed(2)
      .padStart(7)} ms   RegExp ${once(() => js.test(s))
      .toFixed(2)
      .padStart(9)} ms`,
  );
}
console.log("\nRESULT: see docs/decisions/019-regex-at-the-edge.md for the decision these numbers support");
