// Freezes and thaws a process with everything it started (SIGSTOP/SIGCONT): a server that accepts and never answers.
import { execFileSync } from "node:child_process";

/** The process and all its descendants, parents first (pgrep -P exists on Linux and macOS). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let children = "";
    try {
      children = execFileSync("pgrep", ["-P", String(out[i])], { encoding: "utf8" });
    } catch {
      // pgrep exits 1 when there are no children.
    }
    for (const line of children.split("\n")) if (line.trim()) out.push(Number(line));
  }
  return out;
}

/** A frozen Postgres keeps its sockets open: connects succeed (the kernel accepts), queries never answer. */
export function freezeTree(pid: number): number[] {
  const tree = processTree(pid);
  for (const p of tree) signal(p, "SIGSTOP");
  return tree;
}

export function thawTree(pid: number): void {
  // Children started while frozen cannot exist; thaw whatever is there now.
  for (const p of processTree(pid)) signal(p, "SIGCONT");
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Gone already: nothing to freeze or thaw.
  }
}
