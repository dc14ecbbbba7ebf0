// The origin app some files import directly (not its bundle) gets the test hooks its bundle gets from its config's
// [define] (shared/env/build-time.d.ts): set at run time here, so no file needs a define pass over its source.
globalThis.__TEST_HOOKS__ = true;
