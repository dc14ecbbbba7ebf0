// Short, aligned progress lines for the scripts a person runs.
const started = Date.now();

export function step(label: string, detail: string): void {
  const secs = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[${secs}s] ${label.padEnd(9)} ${detail}`);
}

export function fail(message: string): never {
  console.error(`\n✗ ${message}`);
  process.exit(1);
}
