// Asset build: content hashing and naming, idempotent reruns, and removal of stale outputs.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildAssets, contentHash, HEADERS_FILE, planAssets } from "./build-assets.ts";

const text = (s: string) => new TextEncoder().encode(s);

describe("contentHash", () => {
  it("is the first 10 hex of sha256 plus an SRI value", () => {
    expect(contentHash(text(""))).toEqual({
      hash: "e3b0c44298",
      integrity: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    });
  });
});

describe("planAssets", () => {
  it("names files by content and maps source names to URLs", () => {
    const plan = planAssets([
      { name: "site.css", bytes: text("") },
      { name: "img/logo.svg", bytes: text("") },
    ]);
    expect([...plan.files.keys()]).toEqual(["img/logo.e3b0c44298.svg", "site.e3b0c44298.css"]);
    expect(plan.manifest["site.css"]?.path).toBe("/assets/site.e3b0c44298.css");
  });

  it("changes the name when, and only when, the content changes", () => {
    const a = planAssets([{ name: "site.css", bytes: text("a{}") }]).manifest["site.css"]?.path;
    const b = planAssets([{ name: "site.css", bytes: text("b{}") }]).manifest["site.css"]?.path;
    const a2 = planAssets([{ name: "site.css", bytes: text("a{}") }]).manifest["site.css"]?.path;
    expect(a).not.toBe(b);
    expect(a).toBe(a2);
  });
});

describe("buildAssets", () => {
  let dir = "";
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function setup() {
    dir = await mkdtemp(join(tmpdir(), "edgeplate-assets-"));
    const paths = {
      source: join(dir, "static"),
      out: join(dir, "out"),
      manifest: join(dir, "manifest.json"),
    };
    await mkdir(paths.source);
    await writeFile(join(paths.source, "site.css"), "body{}");
    await writeFile(join(paths.source, ".DS_Store"), "junk");
    return paths;
  }

  it("writes hashed files, _headers and the manifest, then does nothing on a rerun", async () => {
    const paths = await setup();
    const first = await buildAssets(paths);
    expect(first).toMatchObject({ assets: 1, written: 3, removed: 0 });
    expect(await readdir(join(paths.out, "assets"))).toEqual([
      `site.${contentHash(text("body{}")).hash}.css`,
    ]);
    expect(await readFile(join(paths.out, "_headers"), "utf8")).toBe(HEADERS_FILE);
    expect(HEADERS_FILE).toMatch(/^\/assets\/\*\n {2}Cache-Control: public, max-age=31536000, immutable$/m);
    const manifest = JSON.parse(await readFile(paths.manifest, "utf8"));
    expect(Object.keys(manifest)).toEqual(["site.css"]);
    expect(await buildAssets(paths)).toMatchObject({ written: 0, removed: 0 });
  });

  it("removes outputs of content that no longer exists", async () => {
    const paths = await setup();
    await buildAssets(paths);
    await writeFile(join(paths.source, "site.css"), "body{color:red}");
    expect(await buildAssets(paths)).toMatchObject({ written: 2, removed: 1 });
    expect(await readdir(join(paths.out, "assets"))).toEqual([
      `site.${contentHash(text("body{color:red}")).hash}.css`,
    ]);
  });

  it("fails clearly when there is nothing to build", async () => {
    dir = await mkdtemp(join(tmpdir(), "edgeplate-assets-"));
    await expect(
      buildAssets({ source: join(dir, "missing"), out: join(dir, "out"), manifest: join(dir, "m.json") }),
    ).rejects.toThrow(/no static files/);
  });
});
