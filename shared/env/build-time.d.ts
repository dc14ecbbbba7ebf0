// Constants the bundler writes into the code (each Worker config's [define]); undefined where nothing defines them.

/** Test-only routes and hooks are in this bundle: true in local and test builds, false in deployed ones. */
declare var __TEST_HOOKS__: boolean | undefined;
