// Asking a person for a secret on a terminal without echoing it (only when stdin is a TTY).
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";

/** Reads one line; what is typed is not shown, so tokens do not end up in scrollback or screen shares. */
export async function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const answer = rl.question(question);
  muted = true;
  try {
    return (await answer).trim();
  } finally {
    muted = false;
    rl.close();
    process.stdout.write("\n");
  }
}
