/**
 * Kamaelia over NATS (subpath export `kamaelia/nats`): Backplanes and links
 * that span processes and machines, request/reply, queue-group worker
 * pools and at-least-once links on JetStream, written against a small
 * {@link Transport} interface. The `@nats-io` client is a dependency of
 * this folder only.
 *
 * @module
 */
export * from "./transport.js";
export * from "./errors.js";
export * from "./codec.js";
export { BACKPLANE_PREFIX, checkSubject, backplaneSubject } from "./subject.js";
export { connectNats, NatsTransport, type NatsOptions } from "./nats-transport.js";
export { NatsComponent, type NatsConnectOptions } from "./nats-component.js";
export * from "./nats-publisher.js";
export * from "./nats-subscriber.js";
export * from "./nats-backplane.js";
export * from "./request-reply.js";
export * from "./jetstream.js";
