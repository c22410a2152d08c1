/**
 * The test harness: drive components deterministically in tests.
 *
 * @module
 */
export { Harness, Collected } from "./harness.js";
