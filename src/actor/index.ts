/**
 * The Actor/Task layer (PyWorks, typed) on Kamaelia's core: actors reached
 * by name through typed proxies whose calls travel as messages and return
 * futures; observation of outputs; Tasks with a start-up sequence, typed
 * configuration and State objects. Imported as `kamaelia/actor`.
 *
 * @module
 */
export { Actor } from "./actor.js";
export { Task, type TaskPhase } from "./task.js";
export { RemoteActor } from "./remote-actor.js";
export { isWireCall, isWireReply, type WireCall, type WireError, type WireReply } from "./wire.js";
export { actor, notify, timeout } from "./proxy.js";
export { ActorCall, type Reply } from "./call.js";
export type { ActorLike } from "./registry.js";
export {
  ActorArgumentError,
  ActorCallError,
  ActorStoppedError,
  ActorTimeoutError,
  NoSuchActorError,
  NoSuchMethodError,
  RemoteActorError,
  TaskLifecycleError,
  UnhandledCallError,
} from "./errors.js";
export {
  DEFAULT_CALL_TIMEOUT,
  outputsType,
  type ActorMemberName,
  type ActorOutput,
  type ActorProxy,
  type Listener,
  type MethodNames,
  type NoOutputs,
  type Notifier,
  type OutputsOf,
  type ProxyOptions,
  type ReservedName,
} from "./types.js";
