// Runs the three Workers in one `wrangler dev` session and waits until the edge answers.
import { type ChildProcess, spawn } from "node:child_process";

export const WORKER_CONFIGS = ["wrangler.toml", "workers/origin/wrangler.toml", "workers/jobs/wrangler.toml"];

export interface RunningWorkers {
  url: string;
  stop(): Promise<void>;
}

export async function startWorkers(opts: {
  port: number;
  persistTo: string;
  log: (line: string) => void;
  verbose?: boolean;
}): Promise<RunningWorkers> {
  const args = ["wrangler", "dev", ...WORKER_CONFIGS.flatMap((c) => ["-c", c])];
  args.push("--port", String(opts.port), "--ip", "127.0.0.1", "--persist-to", opts.persistTo);
  args.push("--show-interactive-dev-session=false", "--log-level", opts.verbose ? "info" : "warn");
  const child: ChildProcess = spawn("npx", args, {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: {
      ...process.env,
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
      FORCE_COLOR: "0",
    },
  });
  const relay = (buf: Buffer) => {
    for (const line of buf.toString().split("\n")) {
      if (line.trim() && !line.includes("nodedir")) opts.log(line);
    }
  };
  child.stdout?.on("data", relay);
  child.stderr?.on("data", relay);
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    // wrangler spawns workerd; signal the whole process group so nothing keeps the port bound.
    const done = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, 5_000);
    await done;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error("wrangler dev exited during startup (see the lines above)");
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status < 500 || res.status === 503) return { url, stop };
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error("the Workers did not answer within 60 s");
}
