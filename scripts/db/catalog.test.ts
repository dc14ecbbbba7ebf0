// Who decides volatility and domain constraints: the migrations, then a live catalog, then the built-in list.
import { describe, expect, it } from "vitest";
import {
  type Catalog,
  callsIn,
  catalogNames,
  constrainedDomain,
  type Declared,
  volatileCall,
} from "./catalog.ts";

const declared = (functions: [string, "immutable" | "stable" | "volatile"][] = []): Declared => ({
  functions: new Map(functions),
  domains: new Map(),
  columns: new Map(),
});
const db: Catalog = {
  source: "postgres://db",
  functions: new Map([
    ["now", "stable"],
    ["gen_random_uuid", "volatile"],
    ["util.token", "volatile"],
  ]),
  domains: new Map([
    ["pos_int", true],
    ["label", false],
  ]),
  columns: new Map(),
};

describe("volatileCall", () => {
  it("finds calls, qualified or not, but not text inside masked strings", () => {
    expect(callsIn("(random() * 100)::int + util.token ('')")).toEqual(["random", "util.token"]);
    expect(callsIn("''")).toEqual([]);
  });

  it("prefers what a migration declared, then the catalog, then the list", () => {
    const fromMigration = declared([["gen_random_uuid", "immutable"]]);
    expect(volatileCall("gen_random_uuid()", fromMigration, db)).toBeUndefined();
    expect(volatileCall("gen_random_uuid()", declared(), db)).toEqual({
      name: "gen_random_uuid",
      source: "pg_proc.provolatile in postgres://db",
    });
    expect(volatileCall("util.token()", declared(), db)?.name).toBe("util.token");
    expect(volatileCall("util.token()", declared())).toBeUndefined();
    expect(volatileCall("now()", declared(), db)).toBeUndefined();
    expect(volatileCall("clock_timestamp()", declared(), db)?.source).toBe(
      "the built-in list (not found in the database)",
    );
    expect(volatileCall("lower('X') || random()", declared())?.name).toBe("random");
  });
});

describe("constrainedDomain", () => {
  it("knows domains from the migrations first, then the catalog", () => {
    expect(constrainedDomain("pos_int", declared(), db)?.source).toBe("pg_constraint in postgres://db");
    expect(constrainedDomain("label", declared(), db)).toBeUndefined();
    expect(constrainedDomain("pos_int", declared())).toBeUndefined();
    const fromMigration: Declared = { ...declared(), domains: new Map([["pos_int", false]]) };
    expect(constrainedDomain("pos_int", fromMigration, db)).toBeUndefined();
  });
});

describe("catalogNames", () => {
  it("lists each identifier once: bare ones folded to lower case, quoted ones as written", () => {
    const names = catalogNames(['ALTER TABLE "Events" ADD c int DEFAULT F()', "SELECT f()"]);
    expect(names).toEqual(["alter", "table", "Events", "add", "c", "int", "default", "f", "select"]);
  });
});
