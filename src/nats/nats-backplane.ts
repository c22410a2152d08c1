/**
 * NatsBackplane: a Backplane whose PublishTo/SubscribeTo span processes and
 * machines through NATS.
 *
 * ```ts
 * const transport = await connectNats("nats://127.0.0.1:4222");
 * NatsBackplane<string>("CHAT", { transport }).activate();
 * // …then PublishTo("CHAT") / SubscribeTo("CHAT") exactly as with a local Backplane
 * ```
 *
 * It is a local {@link BackplaneComponent} registered under the name (so
 * PublishTo and SubscribeTo work unchanged) plus a bridge. The bridge
 * subscribes to the local backplane and publishes everything published here
 * on `kamaelia.bp.<name>.<origin>` (a random token per NatsBackplane); it
 * subscribes to `kamaelia.bp.<name>.*` and publishes into the local
 * backplane what other origins sent. Local subscribers therefore get local
 * messages at once and remote ones as they arrive; every subscriber, here
 * or there, gets each message once, in order per publishing process.
 * Publishing is batched: everything published in one scheduler turn is
 * written to NATS together, never awaited per message.
 *
 * Its own messages come back to it from the server, to be skipped, unless
 * its connection was opened without echo (`connectNats({ servers, noEcho:
 * true })`): then the server does not send them, which halves the work of
 * receiving (W9: 0.73× → 0.99× raw nats.js). {@link openNatsBackplane} and
 * the `url` option open such a connection. Two NatsBackplanes of the same
 * name on one connection without echo would not hear each other, so the
 * second fails at start (give each its own connection).
 *
 * Delivery: at most once (core NATS). Messages published while this
 * process is cut off from the server are buffered by the client and sent on
 * reconnecting; what others published meanwhile is not replayed. A slow
 * local subscriber slows the local backplane; the bridge holds at most
 * `maxPending` remote messages for it and then drops (counted in `dropped`,
 * `slow-consumer` on `status`). Connection changes come out of `status`.
 *
 * Shutdown: producerFinished/shutdownMicroprocess on `control` goes to the
 * local backplane (and so to every local subscriber); the bridge then
 * flushes, unsubscribes and passes it on.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { BackplaneComponent, BackplaneSubscribe } from "../chassis/backplane.js";
import type { Inbox, Outbox } from "../core/box.js";
import type { Wait } from "../core/component.js";
import type { ControlMessage } from "../core/ipc.js";
import type { System } from "../core/system.js";
import { NatsArgumentError, NatsConnectionError, reason } from "./errors.js";
import { NatsComponent, type NatsConnectOptions } from "./nats-component.js";
import { connectNats } from "./nats-transport.js";
import { backplaneSubject, wholeNumber } from "./subject.js";
import type { Transport } from "./transport.js";

/** The backplane names bridged on each connection without echo (see NatsBackplaneComponent). */
const echoless = new WeakMap<Transport, Set<string>>();

/** Options of a {@link NatsBackplane}. */
export interface NatsBackplaneOptions<T> extends NatsConnectOptions<T> {
  /** Most remote messages held for slow local subscribers before new ones are dropped (default 10000). */
  maxPending?: number;
}

/**
 * The NatsBackplane component (the bridge; the local backplane is its
 * child); make one with {@link NatsBackplane}. Boxes: `control` shutdown;
 * `signal` the shutdown message, passed on; `status` connection status and
 * slow-consumer drops; `error` messages that could not be encoded or decoded.
 * Its `inbox` receives what the local backplane publishes (it subscribes itself).
 */
export class NatsBackplaneComponent<T = unknown> extends NatsComponent<T, never, T> {
  static override inboxes = { inbox: "what is published on the local backplane (the bridge subscribes itself)", control: "producerFinished / shutdownMicroprocess: passed to the local backplane, then stop" };
  static override outboxes = { outbox: "unused", signal: "the shutdown message, passed on", status: "connection status; slow-consumer when dropping", error: "ErrorInformation for messages that could not be encoded or decoded" };

  /** The backplane's name (the service PublishTo/SubscribeTo look up). */
  readonly service: string;
  /** This backplane's origin token: its messages go out on `kamaelia.bp.<name>.<origin>`. */
  readonly origin = randomBytes(6).toString("hex");
  /** The local backplane. */
  readonly local: BackplaneComponent<T>;
  /** Messages published to NATS. */
  published = 0;
  /** Messages received from other origins. */
  received = 0;
  /** Remote messages dropped because `maxPending` were already waiting for slow local subscribers. */
  dropped = 0;
  /** Most remote messages held for slow local subscribers. */
  readonly maxPending: number;
  private readyFlag = false;

  /** Whether the bridge's subscription is in place at the server (what other processes publish from now on arrives). */
  get ready(): boolean {
    return this.readyFlag;
  }
  private readonly base: string;
  private readonly toLocal: Outbox<T> = this.addOutbox<T>("toLocal", "remote messages, into the local backplane");
  private readonly toLocalControl: Outbox<ControlMessage> = this.addOutbox<ControlMessage>("toLocalControl", "shutdown, to the local backplane");
  private readonly requests = this.addOutbox<BackplaneSubscribe>("subscribe", "the bridge's own subscription request");
  /** What the bridge put into the local backplane and will see come back (so it does not publish it again). */
  private readonly injected: unknown[] = [];
  private injectedHead = 0;

  /** @throws NatsArgumentError for a name that is not a legal subject token sequence, a bad maxPending or a missing connection. */
  constructor(name: string, options: NatsBackplaneOptions<T>) {
    super(options);
    this.base = backplaneSubject(this.name, name);
    this.maxPending = wholeNumber(this.name, "maxPending", options?.maxPending, 10_000);
    this.service = name;
    this.local = new BackplaneComponent<T>(name);
  }

  /** Register the local backplane under the name (so PublishTo/SubscribeTo find it), then activate. */
  override activate(system?: System): this {
    super.activate(system);
    this.addChildren(this.local);
    this.local.activate(this.system!);
    return this;
  }

  *main(): Wait {
    const remote: Uint8Array[] = [];
    let head = 0;
    let slow = false;
    let sub: { unsubscribe(): void } | null = null;
    let claimed: Set<string> | null = null;
    const subject = `${this.base}.${this.origin}`;
    this.link(this.toLocal, this.local.inbox);
    this.link(this.toLocalControl, this.local.control);
    this.link(this.requests, this.local.inbox as Inbox<unknown>);
    this.requests.send(new BackplaneSubscribe(this.inbox, this.control));
    try {
      const t = yield* this.connect(true);
      if (t.echo === false) {
        // Without echo the server never sends a connection's messages to that same connection: two bridges of
        // one name on it would each miss the other's.
        const names = echoless.get(t) ?? new Set<string>();
        echoless.set(t, names);
        if (names.has(this.service)) {
          throw new NatsArgumentError(`${this.name}: another NatsBackplane "${this.service}" already uses ${t.label}, a connection without echo: they would not hear each other; give each its own connection`);
        }
        names.add(this.service);
        claimed = names;
      }
      const skip = `.${this.origin}`;
      sub = t.subscribe(`${this.base}.*`, (m) => {
        if (m.subject.endsWith(skip)) return;
        this.received++;
        if (remote.length - head >= this.maxPending) {
          this.dropped++;
          if (!slow) {
            slow = true;
            this.report({ type: "slow-consumer", detail: `${this.name}: ${this.maxPending} messages from ${this.base}.* wait for slow local subscribers; dropping new ones` });
          }
          return;
        }
        remote.push(m.data);
        this.unpause();
      });
      yield* this.waitFor(t.flush());
      this.readyFlag = true;
      const inbox = this.inbox;
      for (;;) {
        this.checkConnection();
        // Published here: out to NATS, all of this turn's together (not what the bridge itself put in).
        while (inbox.length > 0) {
          const m = inbox.take();
          if (this.injectedHead < this.injected.length && Object.is(this.injected[this.injectedHead], m)) {
            if (++this.injectedHead === this.injected.length) this.injected.length = this.injectedHead = 0;
            continue;
          }
          const data = this.encode(m, subject);
          if (data === null) continue;
          try {
            t.publish(subject, data);
          } catch (e) {
            throw new NatsConnectionError(`${this.name}: cannot publish on ${subject}: ${reason(e)}`, e);
          }
          this.published++;
        }
        // From elsewhere: into the local backplane, as far as it keeps up.
        while (head < remote.length && !this.toLocal.isFull()) {
          const d = this.decode(remote[head++]!, this.base);
          if (!d.ok) continue;
          this.injected.push(d.value);
          this.toLocal.send(d.value);
        }
        if (head === remote.length) {
          remote.length = head = 0;
          slow = false;
        } else if (head > 4096) {
          remote.splice(0, head);
          head = 0;
        }
        if (this.checkShutdown() !== null && inbox.length === 0) break;
        this.pause();
        yield;
      }
      sub.unsubscribe();
      sub = null;
      this.toLocalControl.send(this.shutdownMessage!);
      yield* this.waitFor(t.flush());
      yield* this.disconnect();
    } finally {
      sub?.unsubscribe();
      claimed?.delete(this.service);
      this.closeNow();
      // Failed or stopped from outside: the local backplane must not outlive the bridge.
      if (this.local.isActive() && this.shutdownMessage === null) this.local.stop();
    }
    while (!this.childrenDone()) {
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}

/** A Backplane named `name` spanning every process connected to the same NATS; see {@link NatsBackplaneComponent}. */
export function NatsBackplane<T = unknown>(name: string, options: NatsBackplaneOptions<T>): NatsBackplaneComponent<T> {
  return new NatsBackplaneComponent<T>(name, options);
}

/**
 * Connect to NATS at `url` (without echo: the server does not send the
 * bridge its own messages back) and make a NatsBackplane called `name` that
 * owns the connection (closing it when it ends). A server that is down fails here,
 * before anything else starts: handy for a program's `--nats URL` option.
 * @throws NatsConnectionError naming the server.
 */
export async function openNatsBackplane<T = unknown>(name: string, url: string, options: Omit<NatsBackplaneOptions<T>, "transport" | "url"> = {}): Promise<NatsBackplaneComponent<T>> {
  const transport = await connectNats({ servers: url, noEcho: true });
  try {
    return new NatsBackplaneComponent<T>(name, { ...options, transport, closeTransport: true });
  } catch (e) {
    await transport.close();
    throw e;
  }
}
