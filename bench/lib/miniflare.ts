// One Miniflare instance for a bench: loopback on a free port, logs counted per distinct line instead of printed.
import { convertV4MiniflareOptions, Miniflare, type V4WorkerOptions } from "miniflare";

type Workers = V4WorkerOptions[];

/** Under load one failure can print thousands of identical lines; `logs` counts them for the report. */
export function benchMiniflare(workers: Workers): { mf: Miniflare; logs: Map<string, number> } {
  const logs = new Map<string, number>();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      handleStructuredLogs: ({ level, message }) => {
        const line = `${level}: ${message.replace(/\s+/g, " ").slice(0, 240)}`;
        logs.set(line, (logs.get(line) ?? 0) + 1);
      },
      workers,
    }),
  );
  return { mf, logs };
}
