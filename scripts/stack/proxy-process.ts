// Starts a local proxy in its own process: a proxy fault (or a test freezing it) never takes the dev stack down.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freezeTree, thawTree } from "./freeze.ts";

export type ProxyProcess = {
  url: string;
  pid: number;
  stop(): Promise<void>;
  freeze(): void;
  thaw(): void;
};

const MAIN = fileURLToPath(new URL("./proxy-main.ts", import.meta.url));

/** `args` as proxy-main.ts takes them, e.g. ["neon", "25480"]. Resolves once the proxy listens. */
export function startProxyProcess(args: string[], log: (line: string) => void): Promise<ProxyProcess> {
  // The same Node and the same TypeScript loader as this process (tsx), whatever started us.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const name = `${args[0]}-proxy`;
  let lastError = "";
  child.stderr?.on("data", (d: Buffer) => {
    for (const line of d.toString().split("\n")) {
      if (!line.trim()) continue;
      lastError = line;
      log(line);
    }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name}: not ready after 15 s`));
    }, 15_000);
    const early = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited during start (code ${code}): ${lastError}`));
    };
    child.once("exit", early);
    let pending = "";
    child.stdout?.on("data", (d: Buffer) => {
      pending += d.toString();
      const ready = /READY (\S+)\n/.exec(pending);
      if (!ready?.[1]) return;
      clearTimeout(timer);
      child.off("exit", early);
      const pid = child.pid ?? -1;
      resolve({
        url: ready[1],
        pid,
        freeze: () => void freezeTree(pid),
        thaw: () => thawTree(pid),
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          thawTree(pid);
          child.kill("SIGTERM");
          const timer2 = setTimeout(() => child.kill("SIGKILL"), 3_000);
          await exited;
          clearTimeout(timer2);
        },
      });
    });
  });
}
