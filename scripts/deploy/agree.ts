// Whether the three Workers' configs agree within one environment: runtime, service targets, shared KV and R2,
// queues with both ends, shared vars (pure: no I/O). `npm test` checks every environment; deploy refuses on it.
import type { WorkerConfig } from "./configs.ts";
import { siteName } from "./resources.ts";

const list = (xs: string[]) => [...new Set(xs)].join(", ");

/** One value per key across Workers: `what` says which key and where, for the message. */
function sameValue(
  workers: WorkerConfig[],
  entries: (w: WorkerConfig) => [key: string, value: string][],
  what: string,
): string[] {
  const seen = new Map<string, Map<string, string[]>>();
  for (const w of workers) {
    for (const [key, value] of entries(w)) {
      const byValue = seen.get(key) ?? new Map<string, string[]>();
      byValue.set(value, [...(byValue.get(value) ?? []), w.config]);
      seen.set(key, byValue);
    }
  }
  return [...seen]
    .filter(([, byValue]) => byValue.size > 1)
    .map(
      ([key, byValue]) =>
        `${what} ${key} differs: ${[...byValue].map(([v, configs]) => `"${v}" in ${configs.join(", ")}`).join("; ")}`,
    );
}

function queueProblems(workers: WorkerConfig[]): string[] {
  const out: string[] = [];
  const produced = new Set(workers.flatMap((w) => w.producers.map((p) => p.queue)));
  const consumed = new Set(workers.flatMap((w) => w.consumers.map((c) => c.queue)));
  const deadLetters = new Set(workers.flatMap((w) => w.consumers.flatMap((c) => c.deadLetterQueue ?? [])));
  for (const q of produced)
    if (!consumed.has(q)) out.push(`queue ${q} is produced but no Worker consumes it`);
  for (const q of deadLetters)
    if (!consumed.has(q)) out.push(`dead-letter queue ${q} has no consumer: dead jobs would go unrecorded`);
  for (const q of consumed) {
    if (!produced.has(q) && !deadLetters.has(q))
      out.push(`queue ${q} is consumed but nothing sends to it (no producer, not a dead-letter queue)`);
  }
  return out;
}

/** What disagrees among one environment's Workers; empty when they fit together. */
export function disagreements(workers: WorkerConfig[]): string[] {
  const names = new Set(workers.map((w) => w.name));
  // A Worker outside the project may be bound freely; one of this site's names must be this environment's.
  const ours = `${siteName([...names])}-`;
  const out = [
    ...sameValue(workers, (w) => [["compatibility_date", w.compatibilityDate]], "runtime:"),
    ...sameValue(
      workers,
      (w) => [["compatibility_flags", [...w.compatibilityFlags].sort().join(",")]],
      "runtime:",
    ),
    ...sameValue(workers, (w) => w.kv.map((k) => [k.binding, k.id]), "KV namespace id of binding"),
    ...sameValue(workers, (w) => w.r2.map((b) => [b.binding, b.bucket]), "R2 bucket of binding"),
    ...sameValue(workers, (w) => w.producers.map((p) => [p.binding, p.queue]), "queue of producer binding"),
    ...sameValue(workers, (w) => Object.entries(w.vars), "var"),
  ];
  for (const w of workers) {
    for (const s of w.services.filter((x) => x.service.startsWith(ours) && !names.has(x.service))) {
      out.push(
        `${w.config}: service binding ${s.binding} targets "${s.service}", which is none of ${list([...names])}`,
      );
    }
    for (const o of w.objects.filter((x) => x.service.startsWith(ours) && !names.has(x.service))) {
      out.push(
        `${w.config}: Durable Object binding ${o.binding} is hosted by "${o.service}", which is none of ${list([...names])}`,
      );
    }
    const bucket = w.vars.R2_BUCKET;
    if (bucket !== undefined && !w.r2.some((b) => b.bucket === bucket)) {
      out.push(
        `${w.config}: var R2_BUCKET "${bucket}" is not the bucket it binds (${list(w.r2.map((b) => b.bucket))})`,
      );
    }
  }
  return [...out, ...queueProblems(workers)];
}
