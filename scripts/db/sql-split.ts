// Splits migration SQL into statements (on `;` and drizzle breakpoints) while respecting quotes and comments.

export interface Statement {
  /** The statement as written, without its `;`: what the runner sends. */
  text: string;
  /** Comments removed, whitespace collapsed: what findings quote. */
  code: string;
  /** Like `code` but with string-literal contents masked, so keywords inside strings never match a rule. */
  shape: string;
  /** 1-based line of the statement's first character. */
  line: number;
  /** Line comments between the previous statement and this one (overrides live here). */
  leadingComments: string[];
}

const BREAKPOINT = "> statement-breakpoint";
const DOLLAR_TAG = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/;

const collapse = (s: string): string => s.replace(/\s+/g, " ").trim();
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_$]/.test(c);

export function splitStatements(sql: string): Statement[] {
  const lineStarts = [0];
  for (let i = 0; i < sql.length; i++) if (sql[i] === "\n") lineStarts.push(i + 1);
  const lineAt = (pos: number): number => {
    let line = 0;
    while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? Number.POSITIVE_INFINITY) <= pos) line++;
    return line + 1;
  };

  const out: Statement[] = [];
  let start = -1;
  let code = "";
  let shape = "";
  let comments: string[] = [];
  const begin = (i: number) => {
    if (start < 0) start = i;
  };
  const flush = (end: number) => {
    if (start >= 0 && collapse(code) !== "") {
      out.push({
        text: sql.slice(start, end).trim(),
        code: collapse(code),
        shape: collapse(shape),
        line: lineAt(start),
        leadingComments: comments,
      });
      comments = [];
    }
    start = -1;
    code = "";
    shape = "";
  };

  let i = 0;
  while (i < sql.length) {
    const c = sql[i] ?? "";
    const next = sql[i + 1];
    if (c === "-" && next === "-") {
      const nl = sql.indexOf("\n", i);
      const end = nl < 0 ? sql.length : nl;
      const body = sql.slice(i + 2, end).trim();
      if (body === BREAKPOINT) flush(i);
      else if (start < 0) comments.push(body);
      else {
        code += " ";
        shape += " ";
      }
      i = end;
    } else if (c === "/" && next === "*") {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      let j = i + 2;
      while (j < sql.length && depth > 0) {
        if (sql.startsWith("/*", j)) {
          depth++;
          j += 2;
        } else if (sql.startsWith("*/", j)) {
          depth--;
          j += 2;
        } else j++;
      }
      code += " ";
      shape += " ";
      i = j;
    } else if (c === "'") {
      begin(i);
      const escapes = /[eE]/.test(sql[i - 1] ?? "") && !isWordChar(sql[i - 2]);
      let j = i + 1;
      while (j < sql.length) {
        if (escapes && sql[j] === "\\") j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      code += sql.slice(i, j + 1);
      shape += "''";
      i = j + 1;
    } else if (c === '"') {
      begin(i);
      let j = i + 1;
      while (j < sql.length && !(sql[j] === '"' && sql[j + 1] !== '"')) j += sql[j] === '"' ? 2 : 1;
      code += sql.slice(i, j + 1);
      shape += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === "$" && !isWordChar(sql[i - 1]) && DOLLAR_TAG.test(sql.slice(i, i + 64))) {
      begin(i);
      const tag = (DOLLAR_TAG.exec(sql.slice(i, i + 64)) ?? [""])[0];
      const close = sql.indexOf(tag, i + tag.length);
      const end = close < 0 ? sql.length : close + tag.length;
      code += sql.slice(i, end);
      shape += "$$$$";
      i = end;
    } else if (c === ";") {
      flush(i);
      i++;
    } else {
      if (!/\s/.test(c)) begin(i);
      if (start >= 0) {
        code += c;
        shape += c;
      }
      i++;
    }
  }
  flush(sql.length);
  return out;
}

/** Splits `a, b (x, y), c` at top-level commas. */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")") depth--;
    else if (s[i] === "," && depth === 0) {
      out.push(s.slice(from, i).trim());
      from = i + 1;
    }
  }
  out.push(s.slice(from).trim());
  return out;
}

/** The text inside the first parenthesis at or after `from`, up to its matching close. */
export function parenthesised(s: string, from = 0): string | undefined {
  const open = s.indexOf("(", from);
  if (open < 0) return undefined;
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")" && --depth === 0) return s.slice(open + 1, i);
  }
  return undefined;
}

// Statements PostgreSQL refuses inside a transaction block; the runner executes these one by one.
const NON_TRANSACTIONAL =
  /^(?:create (?:unique )?index concurrently\b|drop index concurrently\b|reindex\b.*\bconcurrently\b|alter table\b.*\bdetach partition\b.*\bconcurrently\b|vacuum\b|create database\b|drop database\b|alter system\b)/i;

export function isNonTransactional(statement: Pick<Statement, "shape">): boolean {
  return NON_TRANSACTIONAL.test(statement.shape);
}
