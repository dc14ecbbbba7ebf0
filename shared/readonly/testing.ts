// Test doubles for the read-only store's unit tests.
export { type MemoryKV, memoryKV } from "../testing/memory-kv.ts";
