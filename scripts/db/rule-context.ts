// What the rules read and update: the schema earlier migrations built, and what this migration did so far.
import type { Catalog, Declared } from "./catalog.ts";
import type { RuleId } from "./rule-catalog.ts";

/** What earlier statements established; carried from one migration to the next. */
export interface SchemaState extends Declared {
  tables: Set<string>;
  /** key `table.constraint` → the column it proves NOT NULL and whether it has been validated. */
  notNullChecks: Map<string, { column: string; validated: boolean }>;
}

export const emptyState = (tables: Iterable<string> = []): SchemaState => ({
  tables: new Set(tables),
  notNullChecks: new Map(),
  functions: new Map(),
  domains: new Map(),
  columns: new Map(),
});

export const cloneState = (s: SchemaState): SchemaState => ({
  tables: new Set(s.tables),
  notNullChecks: new Map([...s.notNullChecks].map(([k, v]) => [k, { ...v }])),
  functions: new Map(s.functions),
  domains: new Map(s.domains),
  columns: new Map(s.columns),
});

/** One migration's context; `emit` reports for the statement being checked. */
export interface MigrationContext {
  state: SchemaState;
  /** Facts from a live database, when the caller could reach one. */
  catalog?: Catalog;
  /** Tables, indexes and domains created in this migration: nobody uses them yet. */
  created: Set<string>;
  createdIndexes: Set<string>;
  createdDomains: Set<string>;
  /** Existing tables this migration locks (for the lock_timeout note). */
  touched: Set<string>;
  /** `table.constraint` added NOT VALID in this migration. */
  notValid: Set<string>;
  /** False when the runner applies the statements one by one, each committing on its own. */
  transactional: boolean;
  /** The first statement that took a lock on an existing table blocking reads or writes (held to commit). */
  lockedBy?: string;
  emit: (rule: RuleId, message?: string) => void;
}

/** The context of one ALTER TABLE action (`ADD COLUMN …`, `ALTER COLUMN … TYPE …`, …). */
export interface ActionContext extends MigrationContext {
  table: string;
  /** False when the table was created earlier in the same migration: locking it then is harmless. */
  existing: boolean;
}
