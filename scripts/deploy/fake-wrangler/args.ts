// yargs-like parsing of the fake's argv: positionals, `--flag value`, `--flag=value`, `--env ""`, short aliases.
export interface Args {
  positionals: string[];
  flags: Map<string, string[]>;
}

const ALIASES: Record<string, string> = { c: "config", e: "env", y: "yes", m: "message", J: "jurisdiction" };
const BOOLEAN = new Set([
  "dry-run",
  "json",
  "yes",
  "force",
  "preview",
  "minify",
  "update-config",
  "keep-vars",
  "strict",
  "help",
  "latest",
  "use-remote",
]);

export function parseArgs(argv: string[]): Args {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    const long = /^--([^=]+)(?:=(.*))?$/.exec(a);
    const short = /^-([A-Za-z])$/.exec(a);
    if (!long && !short) {
      positionals.push(a);
      continue;
    }
    const raw = long?.[1] ?? short?.[1] ?? "";
    const key = ALIASES[raw] ?? raw;
    if (long?.[2] !== undefined) {
      add(key, long[2]);
    } else if (BOOLEAN.has(key)) {
      add(key, "true");
    } else {
      const next = argv[i + 1];
      if (next !== undefined && (!next.startsWith("-") || next === "")) {
        add(key, next);
        i++;
      } else add(key, "");
    }
  }
  return { positionals, flags };
}

export const flag = (a: Args, key: string): string | undefined => a.flags.get(key)?.at(-1);
export const has = (a: Args, key: string): boolean => a.flags.has(key);
