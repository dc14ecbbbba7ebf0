// The docs stay true to the tree: every decision record is in the index, every capability folder in the README.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const read = (p: string) => readFileSync(p, "utf8");

describe("docs", () => {
  it("lists every decision record in docs/decisions/README.md, and links nothing that is not there", () => {
    const files = readdirSync("docs/decisions").filter(
      (f) => /^\d{3}-.*\.md$/.test(f) && f !== "000-template.md",
    );
    const index = read("docs/decisions/README.md");
    const linked = [...index.matchAll(/\]\((\d{3}-[^)]+\.md)\)/g)].map((m) => m[1]);
    expect(files.filter((f) => !linked.includes(f))).toEqual([]);
    expect(linked.filter((f) => f && f !== "000-template.md" && !files.includes(f))).toEqual([]);
    for (const f of files) expect(read(join("docs/decisions", f)), f).toMatch(/^- Status: /m);
  });

  it("names every capability folder of shared/ and every Worker in the README's layout", () => {
    const readme = read("README.md");
    const layout = readme.slice(readme.indexOf("## Layout"), readme.indexOf("## Guiding principles"));
    const folders = (dir: string) => readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());
    for (const f of folders("shared")) expect(layout, `shared/${f}`).toMatch(new RegExp(`^\\s+${f}/`, "m"));
    for (const f of folders("workers")) expect(layout, `workers/${f}`).toMatch(new RegExp(`^\\s+${f}/`, "m"));
  });
});
