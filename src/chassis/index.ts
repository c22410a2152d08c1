/**
 * Chassis: components that wire other components together.
 *
 * @module
 */
export * from "./pipeline.js";
export * from "./graphline.js";
