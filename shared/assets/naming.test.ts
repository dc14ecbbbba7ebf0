// Hashed asset names both ways, stale-hash mapping, and asset() over the real built manifest.
import { describe, expect, it } from "vitest";
import { asset, assetIntegrity, staleAssetTarget } from "./index.ts";
import { currentAssetPath, hashedFileName, parseHashedPath } from "./naming.ts";

describe("hashedFileName / parseHashedPath", () => {
  it("puts the hash before the last extension and parses it back", () => {
    const cases: Array<[string, string]> = [
      ["site.css", "site.0123456789.css"],
      ["vendor.min.js", "vendor.min.0123456789.js"],
      ["img/logo.svg", "img/logo.0123456789.svg"],
      ["LICENSE", "LICENSE.0123456789"],
      ["fonts.d/x", "fonts.d/x.0123456789"],
    ];
    for (const [name, hashed] of cases) {
      expect(hashedFileName(name, "0123456789")).toBe(hashed);
      expect(parseHashedPath(`/assets/${hashed}`)).toEqual({ name, hash: "0123456789" });
    }
  });

  it("rejects paths that are not hashed assets", () => {
    expect(parseHashedPath("/assets/site.css")).toBeNull();
    expect(parseHashedPath("/assets/site.0123.css")).toBeNull();
    expect(parseHashedPath("/events/site.0123456789.css")).toBeNull();
  });
});

describe("currentAssetPath", () => {
  const manifest = { "site.css": { path: "/assets/site.aaaaaaaaaa.css", integrity: "sha256-x" } };
  it("maps an outdated hash to the current file", () => {
    expect(currentAssetPath(manifest, "/assets/site.bbbbbbbbbb.css")).toBe("/assets/site.aaaaaaaaaa.css");
  });
  it("returns null for the current file and for unknown names", () => {
    expect(currentAssetPath(manifest, "/assets/site.aaaaaaaaaa.css")).toBeNull();
    expect(currentAssetPath(manifest, "/assets/other.bbbbbbbbbb.css")).toBeNull();
  });
});

describe("asset() over the built manifest", () => {
  it("gives hashed URLs and integrity for the real static files", () => {
    expect(asset("site.css")).toMatch(/^\/assets\/site\.[0-9a-f]{10}\.css$/);
    expect(asset("logo.svg")).toMatch(/^\/assets\/logo\.[0-9a-f]{10}\.svg$/);
    expect(assetIntegrity("site.js")).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
    expect(staleAssetTarget("/assets/site.0000000000.css")).toBe(asset("site.css"));
  });
});
