import { describe, expect, it } from "vitest";
import { signValue } from "../trust/index.ts";
import { GRANT_MAX_AGE_MS, issueGrant, readGrant } from "./grant.ts";

const SECRET = "s".repeat(32);

describe("console grants", () => {
  it("name the operator until they expire", async () => {
    const t = Date.now();
    const grant = await issueGrant(SECRET, "ada@example.com", t);
    expect(grant.startsWith("console.")).toBe(true);
    expect(await readGrant(grant, SECRET, t + 1000)).toEqual({ actor: "ada@example.com" });
    expect(await readGrant(grant, SECRET, t + GRANT_MAX_AGE_MS + 1)).toBeNull();
  });

  it("refuse other keys, tampering, and other values signed with the same secret", async () => {
    const grant = await issueGrant(SECRET, "ada@example.com");
    expect(await readGrant(grant, "t".repeat(32))).toBeNull();
    expect(await readGrant(`${grant.slice(0, -2)}xx`, SECRET)).toBeNull();
    const edgeContext = await signValue({ kind: "console-grant", actor: "mallory" }, SECRET);
    expect(await readGrant(`console.${edgeContext}`, SECRET)).toBeNull();
    expect(await readGrant("the-admin-token", SECRET)).toBeNull();
  });

  it("keep working through a key rotation", async () => {
    const grant = await issueGrant(SECRET, "ada@example.com");
    expect(await readGrant(grant, { sign: "n".repeat(32), verify: ["n".repeat(32), SECRET] })).toEqual({
      actor: "ada@example.com",
    });
  });
});
