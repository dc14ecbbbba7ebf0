// The "Total Upload" line and the bindings table that deploy and versions upload print.
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import type { Config } from "./config.ts";
import type { Out } from "./out.ts";

/** The fake does not bundle: the "bundle" is the entry file itself (or a stub when it does not exist). */
export function bundleOf(config: Config): string {
  if (config.main && existsSync(config.main)) return readFileSync(config.main, "utf8");
  return `// ${config.name}: entry point not found, stub bundle\nexport default {};\n`;
}

export function sizes(code: string): { raw: number; gzip: number } {
  return { raw: Buffer.byteLength(code), gzip: gzipSync(code).length };
}

export function totalUpload(out: Out, code: string): { raw: number; gzip: number } {
  const s = sizes(code);
  out.log(`Total Upload: ${(s.raw / 1024).toFixed(2)} KiB / gzip: ${(s.gzip / 1024).toFixed(2)} KiB`);
  return s;
}

/** Layout of `printBindings` in wrangler 4.155.0: name/value column, then type column, both + 6 spaces. */
/** Prints the table; false when there is nothing to print (a dry run then says "No bindings found."). */
export function printBindings(out: Out, config: Config, hiddenSecrets: string[] = []): boolean {
  const rows: { name: string; value: string | null; type: string }[] = [
    ...config.durableObjects.map((d) => ({
      name: d.name,
      value: d.script_name ? `${d.class_name}, defined in ${d.script_name}` : d.class_name,
      type: "Durable Object",
    })),
    ...config.kv.map((k) => ({ name: k.binding, value: k.id ?? "", type: "KV Namespace" })),
    ...config.producers.map((p) => ({ name: p.binding, value: p.queue, type: "Queue" })),
    ...config.r2.map((b) => ({ name: b.binding, value: b.bucket_name, type: "R2 Bucket" })),
    ...config.services.map((s) => ({
      name: s.binding,
      value: s.entrypoint ? `${s.service}#${s.entrypoint}` : s.service,
      type: "Worker",
    })),
    ...(config.assets && typeof config.assets.binding === "string"
      ? [{ name: config.assets.binding, value: null, type: "Assets" }]
      : []),
    ...Object.entries(config.vars).map(([name, v]) => ({
      name,
      value: JSON.stringify(v).slice(0, 40),
      type: "Environment Variable",
    })),
    ...hiddenSecrets.map((name) => ({ name, value: '"(hidden)"', type: "Environment Variable" })),
  ];
  if (rows.length === 0) return false;
  const nameLen = Math.max(...rows.map((r) => r.name.length));
  const valueLen = Math.max(...rows.map((r) => (r.value ?? "").length));
  const typeLen = Math.max(8, ...rows.map((r) => r.type.length));
  const width = 4 + nameLen + 2 + valueLen + 1;
  const pad = " ".repeat(6);
  out.log("Your Worker has access to the following bindings:");
  out.log(`${"Binding".padEnd(width)}${pad}${"Resource".padEnd(typeLen)}${pad}`);
  for (const r of rows) {
    const label = r.value === null ? `env.${r.name}` : `env.${r.name} (${r.value})`;
    out.log(`${label.padEnd(width)}${pad}${r.type.padEnd(typeLen)}${pad}`);
  }
  out.log();
  return true;
}
