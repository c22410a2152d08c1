/**
 * A default timeout for every test (loaded with `--import` by `npm test`).
 *
 * Node 20's `--test-timeout` limits each test *file* as well as each test, so
 * it cannot be both a tight per-test limit and a safe limit for a long file on
 * a loaded machine. This preload gives every `test()` and `it()` (imported by name) a timeout of
 * its own (a test may still pass a `timeout` option), and `--test-timeout` in
 * package.json stays the larger per-file cap. node:test is a built-in, so
 * replacing its export and syncing the ESM view reaches every test file.
 */
import { createRequire, syncBuiltinESMExports } from "node:module";

/** Milliseconds a single test may take before it is cancelled (and its cleanup runs). */
export const PER_TEST_TIMEOUT_MS = 180_000;

type TestFn = (...args: unknown[]) => unknown;

const require = createRequire(import.meta.url);
const nodeTest = require("node:test") as { test: TestFn & Record<string, unknown>; it: TestFn & Record<string, unknown> };

/** `fn` with the default timeout added to its options. */
function withTimeout(original: TestFn & Record<string, unknown>): TestFn {
  const wrapped = (...args: unknown[]): unknown => {
    const defaults = { timeout: PER_TEST_TIMEOUT_MS };
    if (typeof args[0] === "function") return original(defaults, ...args);
    if (typeof args[1] === "function" || args[1] === undefined) return original(args[0], defaults, ...args.slice(1));
    if (typeof args[1] === "object" && args[1] !== null) return original(args[0], { ...defaults, ...args[1] }, ...args.slice(2));
    return original(...args);
  };
  return Object.assign(wrapped, original);
}

nodeTest.test = withTimeout(nodeTest.test) as typeof nodeTest.test;
nodeTest.it = withTimeout(nodeTest.it) as typeof nodeTest.it;
syncBuiltinESMExports();
