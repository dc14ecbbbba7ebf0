// Which type changes PostgreSQL makes in the catalog only (checked against PostgreSQL by the safety oracle).
import { describe, expect, it } from "vitest";
import { isCatalogOnlyTypeChange, typeOfDefinition } from "./column-types.ts";

describe("typeOfDefinition", () => {
  it("cuts the type from a column definition and normalises its spelling", () => {
    expect(typeOfDefinition("character varying(20) NOT NULL")).toBe("varchar(20)");
    expect(typeOfDefinition("timestamp with time zone DEFAULT now() NOT NULL")).toBe(
      "timestamp with time zone",
    );
    expect(typeOfDefinition("DECIMAL(10, 2)")).toBe("numeric(10,2)");
    expect(typeOfDefinition("text[] DEFAULT '{}'::text[]")).toBe("text[]");
  });
});

describe("isCatalogOnlyTypeChange", () => {
  it("accepts raising or dropping a varchar limit, varchar ↔ text, and more numeric precision", () => {
    expect(isCatalogOnlyTypeChange("varchar(20)", "text")).toBe(true);
    expect(isCatalogOnlyTypeChange("character varying(20)", "varchar(20)")).toBe(true);
    expect(isCatalogOnlyTypeChange("varchar(20)", "varchar(40)")).toBe(true);
    expect(isCatalogOnlyTypeChange("text", "varchar")).toBe(true);
    expect(isCatalogOnlyTypeChange("numeric(10,2)", "numeric(12,2)")).toBe(true);
    expect(isCatalogOnlyTypeChange("numeric(10,2)", "numeric")).toBe(true);
  });

  it("refuses anything that must check or convert values", () => {
    expect(isCatalogOnlyTypeChange("varchar(20)", "varchar(10)")).toBe(false);
    expect(isCatalogOnlyTypeChange("text", "varchar(10)")).toBe(false);
    expect(isCatalogOnlyTypeChange("varchar", "varchar(10)")).toBe(false);
    expect(isCatalogOnlyTypeChange("numeric(10,2)", "numeric(12,3)")).toBe(false);
    expect(isCatalogOnlyTypeChange("numeric", "numeric(12,2)")).toBe(false);
    expect(isCatalogOnlyTypeChange("integer", "bigint")).toBe(false);
    expect(isCatalogOnlyTypeChange("text[]", "varchar[]")).toBe(false);
  });
});
