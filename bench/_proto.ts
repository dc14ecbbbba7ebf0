import { execFileSync } from "node:child_process";
import { startEdgeStack } from "./lib/edge-stack.ts";

const s = await startEdgeStack({
  origin: { cacheControl: "public, s-maxage=600", delayMs: 0 },
  variants: [
    {
      name: "kv-once",
      patches: [
        { find: /const cacheMs = opts\.cacheMs \?\? 2e3;/, replace: "const cacheMs = 1e9;" },
        { find: /const cacheMs = options\.cacheMs \?\? 2e3;/, replace: "const cacheMs = 1e9;" },
      ],
    },
    { name: "hot-forever", patches: [{ find: /ttlMs: 3e3 \}/, replace: "ttlMs: 1e9 }" }] },
  ],
});
console.log(s.skipped);
const which = process.argv[2] ?? "edge";
const u = new URL("/events", s.urls.get(which)).href;
await fetch(u);
await fetch(u);
for (let i = 0; i < 4; i++) {
  const out = execFileSync("wrk", ["-t1", "-c50", "-d3s", "-s", "/tmp/status.lua", u], { encoding: "utf8" });
  console.error(
    which,
    i,
    out
      .split("\n")
      .filter((l) => /Requests\/sec|status [^2]/.test(l))
      .join(" | "),
  );
}
await s.dispose();
