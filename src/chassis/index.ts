/**
 * Chassis: components that wire other components together.
 *
 * @module
 */
export * from "./pipeline.js";
export * from "./graphline.js";
export * from "./argument-error.js";
export * from "./backplane.js";
export * from "./publish-to.js";
export * from "./subscribe-to.js";
export * from "./seq.js";
export * from "./par.js";
export * from "./carousel.js";
export * from "./tpipe.js";
export * from "./supervisor.js";
