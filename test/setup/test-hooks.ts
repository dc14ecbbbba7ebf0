// Code the tests import directly (the unit tests' modules, the origin app some integration files import; not the
// bundles) gets the test hooks a bundle gets from its config's [define] (shared/env/build-time.d.ts): set at run
// time here, so no file needs a define pass over its source.
globalThis.__TEST_HOOKS__ = true;
