// Test helper (unit tests only): wait for a condition instead of sleeping, with a deadline that names what failed.

/** Resolves once `check()` holds, checking every millisecond or so; rejects after `timeoutMs`. */
export async function until(check: () => boolean, what = "the condition", timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
