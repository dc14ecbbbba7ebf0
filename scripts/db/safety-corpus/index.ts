// The migration safety corpus: cases run against a real PostgreSQL by safety-oracle.test.ts.
import { COLUMNS } from "./columns.ts";
import { CONSTRAINTS } from "./constraints.ts";
import { INDEXES } from "./indexes.ts";
import { TABLES } from "./tables.ts";
import type { SafetyCase } from "./types.ts";

export { ROWS, type SafetyCase } from "./types.ts";

export const CORPUS: SafetyCase[] = [...COLUMNS, ...CONSTRAINTS, ...INDEXES, ...TABLES];
