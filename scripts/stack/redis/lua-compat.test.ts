// Upstash-only shebang flags are stripped for stock Redis and EVALSHA follows the rewritten script's sha.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { rewriteScriptCommand, stripUpstashShebang } from "./lua-compat.ts";

const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");
const script = "#!lua flags=allow-key-locking\nreturn redis.call('GET', KEYS[1])";

describe("lua compat", () => {
  it("blanks the Upstash shebang line but keeps line numbers and leaves other scripts alone", () => {
    expect(stripUpstashShebang(script)).toBe("\nreturn redis.call('GET', KEYS[1])");
    expect(stripUpstashShebang("#!lua flags=no-writes\nreturn 1")).toBe("#!lua flags=no-writes\nreturn 1");
    expect(stripUpstashShebang("return 1")).toBe("return 1");
  });

  it("maps EVALSHA of the original script to the sha Redis cached for the rewritten one", () => {
    const shas = new Map<string, string>();
    expect(rewriteScriptCommand(["EVALSHA", sha1(script), "1", "k"], shas)).toEqual([
      "EVALSHA",
      sha1(script),
      "1",
      "k",
    ]);
    const evalCmd = rewriteScriptCommand(["eval", script, "1", "k"], shas);
    expect(evalCmd[1]).toBe(stripUpstashShebang(script));
    expect(rewriteScriptCommand(["evalsha", sha1(script), "1", "k"], shas)).toEqual([
      "evalsha",
      sha1(stripUpstashShebang(script)),
      "1",
      "k",
    ]);
    expect(rewriteScriptCommand(["SCRIPT", "LOAD", script], shas)[2]).toBe(stripUpstashShebang(script));
  });
});
