// Site properties: read lazily, at most once per request, and only the names the site declared.
import { describe, expect, it } from "vitest";
import { contextFromRequest, propertyReader } from "./context.ts";

describe("propertyReader", () => {
  it("reads a property only when asked, once, and knows nothing it was not told", () => {
    let reads = 0;
    const plan = (n: number) => {
      reads++;
      return `plan-${n}`;
    };
    const read = propertyReader({ plan, none: () => null }, 7);
    expect(reads).toBe(0);
    expect(read("plan")).toBe("plan-7");
    expect(read("plan")).toBe("plan-7");
    expect(reads).toBe(1);
    expect(read("none")).toBeUndefined();
    expect(read("constructor")).toBeUndefined();
    expect(read("missing")).toBeUndefined();
  });

  it("is the context's properties when given", () => {
    const ctx = contextFromRequest(new Request("https://x.test/"), {}, 0, undefined, (n) =>
      n === "a" ? "1" : undefined,
    );
    expect(ctx.properties?.("a")).toBe("1");
    expect(contextFromRequest(new Request("https://x.test/")).properties).toBeUndefined();
  });
});
