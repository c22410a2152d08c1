/**
 * Axon, the core: components, boxes, linkages, the scheduler, control
 * messages, errors and the services registry. No I/O and no dependencies.
 *
 * @module
 */
export { Box, Inbox, Outbox, type BoxOwner } from "./box.js";
export type { InboxMessage, OutboxMessage } from "./types.js";
export {
  Component,
  type AnyComponent,
  type AsyncOptions,
  type BoxRef,
  type Carried,
  type LinkTarget,
  type LinkTypeMismatch,
  type Main,
  type ProcessOptions,
  type Settings,
  type Wait,
} from "./component.js";
export * from "./errors.js";
export * from "./ipc.js";
export { Linkage, type LinkOptions, type Passthrough } from "./linkage.js";
export { Scheduler, type Runnable } from "./scheduler.js";
export { Services, type Service, type WaitOptions } from "./services.js";
export { ShutdownState, shutdownKind, type ShutdownKind } from "./shutdown.js";
export { System } from "./system.js";
export type { InOf, OutOf, InboxNames, OutboxNames, InboxType, OutboxType } from "./types.js";
