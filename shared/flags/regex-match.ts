// Runs a compiled pattern in time linear in the text: a lazily built DFA when it can, else a Pike VM over the NFA.
import { BOT, EOT, isWord, MAX_PROGRAM, type Regex } from "./regex.ts";

/** Longer values never match (documented): a REGEX is meant for ids, emails, versions, not documents. */
export const MAX_REGEX_INPUT = 2048;
const BOL = 2;
const EOL = 3;
const WORD = 4;

// Scratch shared by every match (evaluation is synchronous, so never by two at once): nothing allocated per call.
let cur = new Int32Array(MAX_PROGRAM + 1);
let next = new Int32Array(MAX_PROGRAM + 1);
const seen = new Int32Array(MAX_PROGRAM + 1);
const stack = new Int32Array(2 * MAX_PROGRAM + 4);

/**
 * Adds the threads reachable from `pc0` through jumps, splits and assertions at position `pos` (between code points
 * `before` and `at`, -1 at the ends) to `list`, which holds `count`; returns the new count.
 */
function add(
  r: Regex,
  list: Int32Array,
  count: number,
  pc0: number,
  pos: number,
  before: number,
  at: number,
): number {
  const { op, x, y } = r;
  let sp = 0;
  let c = count;
  stack[sp++] = pc0;
  while (sp > 0) {
    const pc = stack[--sp] ?? 0;
    if (seen[pc] === pos) continue;
    seen[pc] = pos;
    const o = op[pc];
    if (o === 2) stack[sp++] = x[pc] ?? 0;
    else if (o === 1) {
      stack[sp++] = y[pc] ?? 0;
      stack[sp++] = x[pc] ?? 0;
    } else if (o === 3) {
      const a = x[pc];
      const ok =
        a === BOT
          ? before < 0
          : a === EOT
            ? at < 0
            : a === BOL
              ? before < 0 || before === 10
              : a === EOL
                ? at < 0 || at === 10
                : (isWord(before) !== isWord(at)) === (a === WORD);
      if (ok) stack[sp++] = pc + 1;
    } else list[c++] = pc;
  }
  return c;
}

/** The general matcher: every NFA state alive at once (a Pike VM), for any pattern. */
function pike(r: Regex, text: string): boolean {
  const { op, pr } = r;
  seen.fill(-1, 0, op.length);
  // A pattern that starts with ^ (not multi-line) can only start at 0: once its threads die, it has failed.
  const anchored = op[0] === 3 && r.x[0] === BOT;
  let nCur = 0;
  let before = -1;
  for (let pos = 0; ; ) {
    const at = pos < text.length ? (text.codePointAt(pos) ?? -1) : -1;
    if (!anchored || pos === 0) nCur = add(r, cur, nCur, 0, pos, before, at);
    else if (nCur === 0) return false;
    const width = at > 0xffff ? 2 : 1;
    const after = pos + width < text.length ? (text.codePointAt(pos + width) ?? -1) : -1;
    let nNext = 0;
    for (let j = 0; j < nCur; j++) {
      const pc = cur[j] ?? 0;
      if (op[pc] === 4) return true;
      if (at >= 0 && pr[pc]?.(at)) nNext = add(r, next, nNext, pc + 1, pos + width, at, after);
    }
    if (at < 0) return false;
    [cur, next] = [next, cur];
    nCur = nNext;
    before = at;
    pos += width;
  }
}

// The DFA: each state is the set of NFA threads alive after some input, its transitions filled in on first use.
// Only for patterns whose assertions are ^ and $ (the usual ones); \b and multi-line anchors use the Pike VM.
interface DState {
  readonly pcs: readonly number[];
  readonly match: boolean;
  /** Matches if the input ends here ($ holds). */
  readonly end: boolean;
  readonly ascii: (DState | undefined)[];
  other?: Map<number, DState>;
}
interface Dfa {
  start: DState;
  states: Map<string, DState>;
  anchored: boolean;
}
const MAX_STATES = 64;

// Threads reachable from `seeds`; ^ holds only at the start (`bot`), $ only when `eot`, else its thread waits.
function closure(r: Regex, seeds: readonly number[], bot: boolean, eot: boolean): number[] {
  const out: number[] = [];
  const mark = new Set<number>();
  const todo = [...seeds];
  while (todo.length > 0) {
    const pc = todo.pop() ?? 0;
    if (mark.has(pc)) continue;
    mark.add(pc);
    const o = r.op[pc];
    const a = r.x[pc] ?? 0;
    if (o === 2) todo.push(a);
    else if (o === 1) todo.push(r.y[pc] ?? 0, a);
    else if (o === 3 && a === BOT) {
      if (bot) todo.push(pc + 1);
    } else if (o === 3 && eot) todo.push(pc + 1);
    else out.push(pc);
  }
  return out.sort((p, q) => p - q);
}

function state(r: Regex, dfa: Dfa, pcs: number[], bot: boolean): DState | null {
  const key = `${bot ? "^" : ""}${pcs.join(",")}`;
  let s = dfa.states.get(key);
  if (!s) {
    if (dfa.states.size >= MAX_STATES) return null;
    const waiting = pcs.filter((pc) => r.op[pc] === 3).map((pc) => pc + 1);
    s = {
      pcs,
      match: pcs.some((pc) => r.op[pc] === 4),
      end: closure(r, waiting, bot, true).some((pc) => r.op[pc] === 4),
      ascii: [],
    };
    dfa.states.set(key, s);
  }
  return s;
}

function dfaOf(r: Regex): Dfa | null {
  if (r.dfa !== undefined) return r.dfa as Dfa | null;
  const simple = r.op.every((o, pc) => o !== 3 || r.x[pc] === BOT || r.x[pc] === EOT);
  let dfa: Dfa | null = null;
  if (simple) {
    dfa = { states: new Map(), anchored: r.op[0] === 3 && r.x[0] === BOT } as Dfa;
    dfa.start = state(r, dfa, closure(r, [0], true, false), true) as DState;
  }
  r.dfa = dfa;
  return dfa;
}

function step(r: Regex, dfa: Dfa, s: DState, cp: number): DState | null {
  const seeds: number[] = [];
  for (const pc of s.pcs) if (r.op[pc] === 0 && r.pr[pc]?.(cp)) seeds.push(pc + 1);
  // Unanchored search: a match may also start after this character.
  if (!dfa.anchored) seeds.push(0);
  const next = state(r, dfa, closure(r, seeds, false, false), false);
  if (next) {
    if (cp < 128) s.ascii[cp] = next;
    else {
      s.other ??= new Map();
      s.other.set(cp, next);
    }
  }
  return next;
}

/** Whether the pattern matches anywhere in `text` (RE2's find), in time linear in the text. */
export function regexMatches(r: Regex, text: string): boolean {
  if (text.length > MAX_REGEX_INPUT) return false;
  const dfa = dfaOf(r);
  if (!dfa) return pike(r, text);
  let s = dfa.start;
  for (let i = 0; i < text.length && !s.match; ) {
    const cp = text.codePointAt(i) ?? 0;
    i += cp > 0xffff ? 2 : 1;
    const next = (cp < 128 ? s.ascii[cp] : s.other?.get(cp)) ?? step(r, dfa, s, cp);
    // Too many states for this pattern: the Pike VM answers instead, in the same linear time.
    if (!next) return pike(r, text);
    if (next.pcs.length === 0) return false;
    s = next;
  }
  return s.match || s.end;
}
