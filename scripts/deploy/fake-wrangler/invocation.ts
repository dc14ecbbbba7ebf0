// The call being answered: its environment and working directory (a process's own, or a test's in-process call).
import { resolve } from "node:path";

export interface Invocation {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Where this call appends its output-file records, once chosen. */
  outputFile?: string | null;
}

let current: Invocation = { cwd: process.cwd(), env: process.env };

/** Runs `answer` (synchronous, so calls never interleave) as the call `i`. */
export function within<T>(i: Invocation, answer: () => T): T {
  const previous = current;
  current = i;
  try {
    return answer();
  } finally {
    current = previous;
  }
}

export const cwd = (): string => current.cwd;
export const invocation = (): Invocation => current;
export const envVar = (name: string): string | undefined => current.env[name];
/** A path as the caller meant it: relative to its working directory. */
export const at = (path: string): string => resolve(current.cwd, path);
