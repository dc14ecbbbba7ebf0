// Test doubles for unit tests, all in one place; production code never imports this folder (the linter checks).
export {
  type FakeCall,
  type FakeHandler,
  type FakeQuery,
  type FakeResult,
  installFakeNeon,
} from "./fake-neon.ts";
export * from "./fake-redis.ts";
export { FakeSets } from "./fake-sets.ts";
export { type FakeSwitchboard, fakeSwitchboard } from "./fake-switchboard.ts";
export { type MemoryFlagStore, memoryFlagStore } from "./flag-store.ts";
export { MemoryDeadJobs, MemoryLedger } from "./job-stores.ts";
export { type MemoryKV, memoryKV } from "./memory-kv.ts";
export { replicaStatus } from "./replica-status.ts";
export { until } from "./until.ts";
