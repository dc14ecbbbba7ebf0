// Makes Upstash-flavoured Lua run on stock Redis: @upstash/ratelimit's scripts start with
// `#!lua flags=allow-key-locking`, a flag only Upstash knows; Redis 7 rejects it ("Unexpected flag in script
// shebang") and Redis 6 has no shebang at all. The shebang line is blanked (line numbers stay), and EVALSHA of
// the original script's sha is mapped to the sha Redis actually cached.
import { createHash } from "node:crypto";

const sha1 = (text: string): string => createHash("sha1").update(text).digest("hex");

export function stripUpstashShebang(script: string): string {
  const newline = script.indexOf("\n");
  const first = newline < 0 ? script : script.slice(0, newline);
  if (!/^#!lua\b/.test(first) || !first.includes("allow-key-locking")) return script;
  return newline < 0 ? "" : script.slice(newline);
}

/** Rewrites EVAL/EVAL_RO/SCRIPT LOAD/EVALSHA(_RO) in place of the command; `shas` remembers original → rewritten. */
export function rewriteScriptCommand(command: string[], shas: Map<string, string>): string[] {
  const name = (command[0] ?? "").toUpperCase();
  const at =
    name === "EVAL" || name === "EVAL_RO"
      ? 1
      : name === "SCRIPT" && /^load$/i.test(command[1] ?? "")
        ? 2
        : -1;
  if (at > 0) {
    const script = command[at] ?? "";
    const stripped = stripUpstashShebang(script);
    if (stripped === script) return command;
    shas.set(sha1(script), sha1(stripped));
    const out = [...command];
    out[at] = stripped;
    return out;
  }
  if (name === "EVALSHA" || name === "EVALSHA_RO") {
    const mapped = shas.get((command[1] ?? "").toLowerCase());
    if (mapped) return [command[0] ?? name, mapped, ...command.slice(2)];
  }
  return command;
}
