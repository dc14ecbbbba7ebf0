// RE2-syntax regular expressions (Unleash's REGEX operator) compiled to a Thompson NFA; regex-match.ts runs it.

/** One code point in, yes or no. */
type Pred = (cp: number) => boolean;

// Syntax tree: one code point, concatenation, alternation, repetition (max -1 = unbounded), empty-width assertion.
type Node =
  | { k: 0; p: Pred }
  | { k: 1 | 2; xs: Node[] }
  | { k: 3; x: Node; min: number; max: number }
  | { k: 4; a: number };

/** A compiled pattern: instructions (0 char, 1 split, 2 jump, 3 assert, 4 match) in parallel arrays. */
export interface Regex {
  readonly op: number[];
  readonly x: number[];
  readonly y: number[];
  readonly pr: (Pred | null)[];
  /** The matcher's cache of DFA states, built lazily (see regex-match.ts). */
  dfa?: unknown;
}

// Bounds on work: instructions per pattern and input length, so one evaluation stays well under a millisecond.
const MAX_PATTERN = 1000;
export const MAX_PROGRAM = 600;
const MAX_REPEAT = 1000;

// Assertions.
export const BOT = 0;
export const EOT = 1;
const BOL = 2;
const EOL = 3;
const WORD = 4;
const NOT_WORD = 5;

// Character ranges as pairs of characters: "09AZ" is 0-9 and A-Z (RE2's ASCII POSIX and Perl classes).
const POSIX: Record<string, string> = {
  alnum: "09AZaz",
  alpha: "AZaz",
  ascii: "\0\x7f",
  blank: "\t\t  ",
  cntrl: "\0\x1f\x7f\x7f",
  digit: "09",
  graph: "!~",
  lower: "az",
  print: " ~",
  punct: "!/:@[`{~",
  space: "\t\r  ",
  upper: "AZ",
  word: "09AZ__az",
  xdigit: "09AFaf",
};
const PERL: Record<string, string> = { d: "09", w: "09AZ__az", s: "\t\n\f\r  " };
const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7 };

const inRanges = (r: string, cp: number): boolean => {
  for (let i = 0; i < r.length; i += 2) if (cp >= r.charCodeAt(i) && cp <= r.charCodeAt(i + 1)) return true;
  return false;
};
export const isWord = (cp: number): boolean => inRanges(PERL.w as string, cp);
const not =
  (p: Pred): Pred =>
  (cp) =>
    !p(cp);

/** The code point and its simple lower- and upper-case forms (what (?i) compares). */
function folds(cp: number): number[] {
  const c = String.fromCodePoint(cp);
  const out = [cp];
  for (const f of [c.toLowerCase(), c.toUpperCase()]) {
    const g = f.codePointAt(0);
    if (g !== undefined && f.length === c.length && !out.includes(g)) out.push(g);
  }
  return out;
}

function fail(message: string): never {
  throw new SyntaxError(message);
}

// Unicode classes (\\pL, \\p{Greek}) borrow the platform's tables: a one-code-point test cannot backtrack.
function unicodeClass(name: string): Pred {
  const neg = name.startsWith("^");
  const n = neg ? name.slice(1) : name;
  let re: RegExp | undefined;
  if (/^[A-Za-z_]+$/.test(n)) {
    for (const src of [`\\p{${n}}`, `\\p{Script=${n}}`]) {
      try {
        re = new RegExp(`^${src}$`, "u");
        break;
      } catch {
        // Not this kind of property name; try the next.
      }
    }
  }
  const test = re ?? fail(`unknown Unicode class ${name}`);
  const p: Pred = (cp) => test.test(String.fromCodePoint(cp));
  return neg ? not(p) : p;
}

/** Parses `src`; throws SyntaxError with a short reason on anything RE2 would refuse. */
function parse(src: string, ci: boolean): Node {
  let i = 0;
  const peek = (): string => src[i] ?? "";
  const codePoint = (): number => {
    const cp = src.codePointAt(i) ?? 0;
    i += cp > 0xffff ? 2 : 1;
    return cp;
  };
  const literal = (cp: number, fold: boolean): Pred => {
    if (!fold) return (c) => c === cp;
    const f = folds(cp);
    return (c) => f.includes(c);
  };

  // After a backslash: a single code point, or a class predicate (inClass: no assertions allowed).
  function backslash(inClass: boolean): number | Pred | { a: number } {
    const c = src[i++] ?? fail("trailing backslash");
    const lower = c.toLowerCase();
    if (lower in PERL) {
      const r = PERL[lower] as string;
      const p: Pred = (cp) => inRanges(r, cp);
      return c === lower ? p : not(p);
    }
    if (c === "p" || c === "P") {
      let name = src[i++] ?? fail("missing Unicode class name");
      if (name === "{") {
        const end = src.indexOf("}", i);
        if (end < 0) fail("missing } in Unicode class");
        name = src.slice(i, end);
        i = end + 1;
      }
      const p = unicodeClass(name);
      return c === "p" ? p : not(p);
    }
    if (!inClass && (c === "b" || c === "B" || c === "A" || c === "z"))
      return { a: c === "b" ? WORD : c === "B" ? NOT_WORD : c === "A" ? BOT : EOT };
    if (c in ESCAPES) return ESCAPES[c] as number;
    if (c === "x") {
      const m = /^\{([0-9A-Fa-f]{1,6})\}|^[0-9A-Fa-f]{2}/.exec(src.slice(i)) ?? fail("bad \\x escape");
      i += m[0].length;
      return Number.parseInt(m[1] ?? m[0], 16);
    }
    if (c === "0") {
      const m = /^[0-7]{0,2}/.exec(src.slice(i))?.[0] ?? "";
      i += m.length;
      return Number.parseInt(`0${m}`, 8);
    }
    if (/[1-9]/.test(c)) fail("backreferences are not supported");
    if (/[A-Za-z]/.test(c)) fail(`unknown escape \\${c}`);
    i--;
    return codePoint();
  }

  function charClass(fold: boolean): Pred {
    const neg = peek() === "^";
    if (neg) i++;
    let ranges = "";
    const preds: Pred[] = [];
    let first = true;
    while (peek() !== "]" || first) {
      if (i >= src.length) fail("missing ] in character class");
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
      if (posix) {
        const r = POSIX[posix[2] as string] ?? fail(`unknown POSIX class ${posix[2]}`);
        const p: Pred = (cp) => inRanges(r, cp);
        preds.push(posix[1] ? not(p) : p);
        i += posix[0].length;
        continue;
      }
      let lo: number;
      if (peek() === "\\") {
        i++;
        const e = backslash(true);
        if (typeof e !== "number") {
          preds.push(e as Pred);
          continue;
        }
        lo = e;
      } else lo = codePoint();
      let hi = lo;
      if (peek() === "-" && src[i + 1] !== "]" && i + 1 < src.length) {
        i++;
        if (peek() === "\\") {
          i++;
          const e = backslash(true);
          if (typeof e !== "number") fail("bad character class range");
          hi = e;
        } else hi = codePoint();
        if (hi < lo) fail("bad character class range");
      }
      ranges += String.fromCodePoint(lo, hi);
    }
    i++;
    const pairs = [...ranges].map((c) => c.codePointAt(0) ?? 0);
    const base: Pred = (cp) => {
      for (let j = 0; j < pairs.length; j += 2)
        if (cp >= (pairs[j] ?? 0) && cp <= (pairs[j + 1] ?? 0)) return true;
      for (const p of preds) if (p(cp)) return true;
      return false;
    };
    const p: Pred = fold ? (cp) => folds(cp).some(base) : base;
    return neg ? not(p) : p;
  }

  function alternation(flags: { i: boolean; m: boolean; s: boolean }): Node {
    const alts: Node[] = [];
    let seq: Node[] = [];
    for (;;) {
      const c = peek();
      if (c === "" || c === ")") break;
      i++;
      if (c === "|") {
        alts.push({ k: 1, xs: seq });
        seq = [];
        continue;
      }
      let atom: Node;
      if (c === "(") {
        if (peek() === "?") {
          const m = /^\?(?:P?<[A-Za-z_]\w*>|([imsU-]*)([:)]))/.exec(src.slice(i));
          if (!m) fail(/^\?<?[=!]/.test(src.slice(i)) ? "lookaround is not supported" : "bad group");
          i += m[0].length;
          const next = { ...flags };
          if (m[1] !== undefined) {
            let on = true;
            for (const f of m[1]) {
              if (f === "-") on = false;
              else if (f !== "U") next[f as "i" | "m" | "s"] = on;
            }
            if (m[2] === ")") {
              // (?i) changes the flags for the rest of the enclosing group.
              Object.assign(flags, next);
              continue;
            }
          }
          atom = alternation(next);
        } else atom = alternation({ ...flags });
        if (peek() !== ")") fail("missing )");
        i++;
      } else if (c === "[") atom = { k: 0, p: charClass(flags.i) };
      else if (c === ".") atom = { k: 0, p: flags.s ? () => true : (cp) => cp !== 10 };
      else if (c === "^") atom = { k: 4, a: flags.m ? BOL : BOT };
      else if (c === "$") atom = { k: 4, a: flags.m ? EOL : EOT };
      else if (c === "*" || c === "+" || c === "?") fail("missing argument to repetition operator");
      else if (c === "\\") {
        if (peek() === "Q") {
          const end = src.indexOf("\\E", ++i);
          const text = src.slice(i, end < 0 ? src.length : end);
          i = end < 0 ? src.length : end + 2;
          for (const ch of text) seq.push({ k: 0, p: literal(ch.codePointAt(0) ?? 0, flags.i) });
          continue;
        }
        const e = backslash(false);
        atom =
          typeof e === "number"
            ? { k: 0, p: literal(e, flags.i) }
            : "a" in e
              ? { k: 4, a: e.a }
              : { k: 0, p: e };
      } else {
        i--;
        atom = { k: 0, p: literal(codePoint(), flags.i) };
      }
      seq.push(repetition(atom));
    }
    alts.push({ k: 1, xs: seq });
    return alts.length === 1 ? (alts[0] as Node) : { k: 2, xs: alts };
  }

  function repetition(atom: Node): Node {
    const c = peek();
    let min: number;
    let max: number;
    if (c === "*" || c === "+" || c === "?") {
      i++;
      [min, max] = c === "*" ? [0, -1] : c === "+" ? [1, -1] : [0, 1];
    } else {
      const m = c === "{" ? /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i)) : null;
      if (!m) return atom;
      i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? -1 : Number(m[3]);
      if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) fail("bad repetition count");
    }
    if (peek() === "?") i++; // Lazy or greedy: the same yes/no answer.
    if (/^[*+?]|^\{\d/.test(src.slice(i))) fail("bad repetition operator");
    return { k: 3, x: atom, min, max };
  }

  const tree = alternation({ i: ci, m: false, s: false });
  if (i < src.length) fail("unexpected )");
  return tree;
}

function emit(node: Node, r: Regex): void {
  const push = (op: number, x = 0, y = 0, p: Pred | null = null): number => {
    if (r.op.length >= MAX_PROGRAM) fail("pattern too large");
    r.op.push(op);
    r.x.push(x);
    r.y.push(y);
    r.pr.push(p);
    return r.op.length - 1;
  };
  switch (node.k) {
    case 0:
      push(0, 0, 0, node.p);
      return;
    case 1:
      for (const x of node.xs) emit(x, r);
      return;
    case 2: {
      const jumps: number[] = [];
      const last = node.xs.length - 1;
      node.xs.forEach((x, j) => {
        if (j === last) {
          emit(x, r);
          return;
        }
        const s = push(1, r.op.length + 1);
        emit(x, r);
        jumps.push(push(2));
        r.y[s] = r.op.length;
      });
      for (const j of jumps) r.x[j] = r.op.length;
      return;
    }
    case 3: {
      for (let j = 0; j < node.min; j++) emit(node.x, r);
      if (node.max < 0) {
        const s = push(1, r.op.length + 1);
        emit(node.x, r);
        push(2, s);
        r.y[s] = r.op.length;
        return;
      }
      const splits: number[] = [];
      for (let j = node.min; j < node.max; j++) {
        splits.push(push(1, r.op.length + 1));
        emit(node.x, r);
      }
      for (const s of splits) r.y[s] = r.op.length;
      return;
    }
    case 4:
      push(3, node.a);
  }
}

/** Compiles RE2 syntax (no lookaround, no backreferences); throws SyntaxError when the pattern is not accepted. */
export function compileRegex(src: string, caseInsensitive = false): Regex {
  if (src.length > MAX_PATTERN) fail(`pattern longer than ${MAX_PATTERN} characters`);
  const r: Regex = { op: [], x: [], y: [], pr: [] };
  emit(parse(src, caseInsensitive), r);
  r.op.push(4);
  r.x.push(0);
  r.y.push(0);
  r.pr.push(null);
  return r;
}
