// Finding a column's DEFAULT expression among its constraints.
import { describe, expect, it } from "vitest";
import { defaultExpression } from "./add-column-rules.ts";

describe("defaultExpression", () => {
  it("stops at the next column constraint outside parentheses", () => {
    expect(defaultExpression("int DEFAULT (random() * 100)::int NOT NULL")).toBe("(random() * 100)::int");
    expect(defaultExpression("int DEFAULT NULL REFERENCES p (id)")).toBe("NULL");
    expect(defaultExpression("text NOT NULL DEFAULT '' CHECK (length(x) > 0)")).toBe("''");
    expect(defaultExpression("uuid DEFAULT gen_random_uuid()")).toBe("gen_random_uuid()");
    expect(defaultExpression("text NOT NULL")).toBeUndefined();
  });
});
