// What the fake prints, byte for byte as wrangler 4.155.0 does when stdout is not a TTY (banner, ANSI errors).
export const VERSION = "4.155.0";
const E = "\x1b";
/** U+200A, which wrangler's clack log puts around status words. */
export const HAIR = "\u200a";

/** A failure: wrangler prints an empty stdout line, the framed error on stderr, and exits 1. */
export class WranglerError extends Error {
  readonly title: string;
  readonly notes: string[];
  /** Non-UserError failures also print the green "create an issue" line on stdout. */
  readonly unexpected: boolean;
  /** API code for the output file's command-failed record. */
  readonly code: number | undefined;

  constructor(title: string, notes: string[] = [], unexpected = false, code?: number) {
    super(title);
    this.title = title;
    this.notes = notes;
    this.unexpected = unexpected;
    this.code = code;
  }
}

export function apiError(path: string, message: string, code: number): WranglerError {
  const notes = [`${message} [code: ${code}]`];
  if (code !== 10000) {
    notes.push(
      "",
      `If you think this is a bug, please open an issue at: ${E}[4mhttps://github.com/cloudflare/workers-sdk/issues/new/choose${E}[0m`,
    );
  }
  return new WranglerError(`A request to the Cloudflare API (${path}) failed.`, notes, false, code);
}

export class Out {
  stdout = "";
  stderr = "";
  /** Where wrangler says it wrote its debug log (the fake writes none). */
  logPath = "";
  log(line = ""): void {
    this.stdout += `${line}\n`;
  }
  banner(): void {
    const title = ` ⛅️ wrangler ${VERSION}`;
    this.log();
    this.log(title);
    this.log("─".repeat(title.length));
  }
  warn(title: string, notes: string[] = []): void {
    this.stderr += `${E}[33m▲ ${E}[43;33m[${E}[43;30mWARNING${E}[43;33m]${E}[0m ${E}[1m${title}${E}[0m\n\n${framed(notes)}\n`;
  }
  /** `logger.error`: the framed error and the log-file line, without failing the command. */
  errorLine(title: string, notes: string[] = []): void {
    this.stderr += `${E}[31m✘ ${E}[41;31m[${E}[41;97mERROR${E}[41;31m]${E}[0m ${E}[1m${title}${E}[0m\n\n${framed(notes)}\n🪵  Logs were written to "${this.logPath}"\n`;
  }
  /** A failed command: an empty stdout line, then the error. */
  error(e: WranglerError): void {
    this.log();
    this.errorLine(e.title, e.notes);
    if (e.unexpected) {
      this.log(
        `${E}[32mIf you think this is a bug then please create an issue at https://github.com/cloudflare/workers-sdk/issues/new/choose${E}[0m`,
      );
    }
  }
}

function framed(notes: string[]): string {
  return notes.length > 0 ? `${notes.map((n) => `  ${n}`).join("\n")}\n\n` : "";
}

/** A cli-table3 box table as `queues list` and `whoami` print it (cells padded by one space). */
export function boxTable(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)) + 2);
  const line = (l: string, m: string, r: string) => `${l}${widths.map((w) => "─".repeat(w)).join(m)}${r}`;
  const row = (cells: string[]) =>
    `│${cells.map((c, i) => ` ${c.padEnd((widths[i] ?? 2) - 2)} `).join("│")}│`;
  return [line("┌", "┬", "┐"), row(head), line("├", "┼", "┤"), ...rows.map(row), line("└", "┴", "┘")];
}
