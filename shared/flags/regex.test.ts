// The linear-time RE2 matcher: RE2 syntax and semantics, refusals, bounds, and agreement with RegExp where they share syntax.
import { describe, expect, it } from "vitest";
import { compileRegex } from "./regex.ts";
import { MAX_REGEX_INPUT, regexMatches } from "./regex-match.ts";

const m = (pattern: string, text: string, ci = false) => regexMatches(compileRegex(pattern, ci), text);

describe("RE2 syntax and semantics", () => {
  it("finds a match anywhere unless anchored", () => {
    expect(m("cat", "concatenate")).toBe(true);
    expect(m("^cat$", "cat")).toBe(true);
    expect(m("^cat$", "cats")).toBe(false);
    expect(m("", "")).toBe(true);
    expect(m("a|", "zzz")).toBe(true);
  });

  it("classes: Perl, POSIX, ranges, negation, escapes, Unicode", () => {
    expect(m("^user\\d{3}$", "user123")).toBe(true);
    expect(m("^user\\d{3}$", "user12")).toBe(false);
    expect(m("^[[:alpha:]]+$", "AlphaBeta")).toBe(true);
    expect(m("^[[:alpha:]]+$", "Alpha1")).toBe(false);
    expect(m("^[[:^digit:]x]+$", "abx")).toBe(true);
    expect(m("^[^@]+@[^@]+$", "test@example.com")).toBe(true);
    expect(m("^[a-c\\-]+$", "a-b")).toBe(true);
    expect(m("^[]a]+$", "]a")).toBe(true);
    expect(m("^\\w+\\s\\W$", "ab !")).toBe(true);
    expect(m("^\\pL+$", "φriend")).toBe(true);
    expect(m("^\\p{Greek}+$", "φα")).toBe(true);
    expect(m("^\\P{Greek}$", "a")).toBe(true);
    expect(m("^\\x{1F60A}\\x41$", "😊A")).toBe(true);
    expect(m("^.$", "😊")).toBe(true);
    expect(m("^\\Qa.b\\E$", "a.b")).toBe(true);
    expect(m("^\\Qa.b\\E$", "axb")).toBe(false);
  });

  it("word boundaries are ASCII, as in RE2", () => {
    expect(m("\\bcat\\b", "a cat b")).toBe(true);
    expect(m("\\bcat\\b", "concatenate")).toBe(false);
    expect(m("\\Bcat\\B", "concatenate")).toBe(true);
  });

  it("alternation, groups, repetition ranges, lazy quantifiers", () => {
    expect(m("^(foo|fo)$", "fo")).toBe(true);
    expect(m("^(?:ab)?c$", "c")).toBe(true);
    expect(m("^(ab)?c$", "ac")).toBe(false);
    expect(m("^(?P<x>a)(?<y>b)$", "ab")).toBe(true);
    expect(m("^a{2,4}$", "aaaa")).toBe(true);
    expect(m("^a{2,4}$", "aaaaa")).toBe(false);
    expect(m("^a{2,}$", "aaaaaaa")).toBe(true);
    expect(m("^a{2}$", "aaa")).toBe(false);
    expect(m("^a.*?b$", "a___b___b")).toBe(true);
    expect(m("^(a*)*$", "aaaa")).toBe(true);
    expect(m("a{,3}", "a{,3}")).toBe(true);
  });

  it("flags: (?i) (?m) (?s), scoped to their group, and the caseInsensitive option", () => {
    expect(m("^(?i)abc$", "AbC")).toBe(true);
    expect(m("^(?i)abc$", "zAbCz")).toBe(false);
    expect(m("^(?i:a)b$", "Ab")).toBe(true);
    expect(m("^(?i:a)b$", "AB")).toBe(false);
    expect(m("^abc$", "AbC", true)).toBe(true);
    expect(m("^(?-i)abc$", "AbC", true)).toBe(false);
    expect(m("^[a-c]+$", "ABC", true)).toBe(true);
    expect(m("(?m)^foo$", "x\nfoo\ny")).toBe(true);
    expect(m("^foo$", "x\nfoo\ny")).toBe(false);
    expect(m("^(?s)a.b$", "a\nb")).toBe(true);
    expect(m("^a.b$", "a\nb")).toBe(false);
    expect(m("^a.b$", "a\rb")).toBe(true);
    // RE2's $ is the end of the text, not before a final newline as in Perl.
    expect(m("^a$", "a\n")).toBe(false);
  });

  it("refuses what RE2 refuses: lookaround, backreferences, bad syntax", () => {
    for (const bad of [
      "^(?=a)b$",
      "(?!a)",
      "(?<=a)b",
      "^(a)\\1$",
      "(regex",
      "a)",
      "*a",
      "a**",
      "[a",
      "\\q",
      "\\Z",
    ]) {
      expect(() => compileRegex(bad), bad).toThrow(SyntaxError);
    }
    expect(() => compileRegex("a{1001}")).toThrow(/repetition/);
    expect(() => compileRegex("(a{100}){100}")).toThrow(/too large/);
  });

  it("never matches values longer than the input bound", () => {
    expect(m("a", "a".repeat(MAX_REGEX_INPUT))).toBe(true);
    expect(m("a", "a".repeat(MAX_REGEX_INPUT + 1))).toBe(false);
  });

  it("stays right when a pattern needs more DFA states than are kept (the Pike VM takes over)", () => {
    const pattern = "(a|b)*a(a|b){9}$";
    const re = new RegExp(pattern);
    const compiled = compileRegex(pattern);
    let seed = 7;
    for (let t = 0; t < 200; t++) {
      let text = "";
      for (let k = 0; k < 14; k++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        text += (seed >>> 16) & 1 ? "a" : "b";
      }
      expect(regexMatches(compiled, text), text).toBe(re.test(text));
    }
  });

  it("agrees with RegExp on random patterns of their shared syntax", () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const atoms = ["a", "b", ".", "[ab]", "[^a]", "\\d", "(a|b)", "(ab|a)", "(?:a|)", "\\b", "$"];
    const quants = ["", "", "*", "+", "?", "{1,2}", "*?"];
    for (let t = 0; t < 300; t++) {
      let pattern = rnd(3) === 0 ? "^" : "";
      for (let k = 1 + rnd(4); k > 0; k--) {
        const atom = atoms[rnd(atoms.length)] ?? "";
        // RegExp refuses repeated assertions.
        pattern += atom + (atom === "\\b" || atom === "$" ? "" : (quants[rnd(quants.length)] ?? ""));
      }
      if (rnd(3) === 0) pattern += "$";
      const re = new RegExp(pattern, "u");
      const compiled = compileRegex(pattern);
      for (let s = 0; s < 10; s++) {
        let text = "";
        for (let k = rnd(6); k > 0; k--) text += "ab1"[rnd(3)];
        expect(regexMatches(compiled, text), `${pattern} on "${text}"`).toBe(re.test(text));
      }
    }
  });
});
