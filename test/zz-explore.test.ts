import { it } from "vitest";
import { site, sql } from "./helpers";

const hz = async () => {
  const j = JSON.parse((await site("/healthz")).body);
  return JSON.stringify(j.replicas[0]);
};
it("explore", async () => {
  for (const idle of [3000, 6000]) {
    await new Promise((r) => setTimeout(r, idle));
    const t = Date.now();
    await sql()`update events set version = version where slug = 'edge-summit-2027'`;
    for (let i = 0; i < 5; i++) {
      console.log("IDLE", idle, Date.now() - t, await hz());
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}, 60000);
