/**
 * A real nats-server for the tests: started on a free loopback port (with
 * JetStream in a fresh directory when asked), stopped after the test (and
 * on failure, through the shared cleanup), restartable on the same port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onCleanup } from "../support/cleanup.js";

/** A free loopback port (the OS's pick, released for the server to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, "127.0.0.1");
    c.on("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.on("error", () => resolve(false));
  });
}

/** A running nats-server. */
export class NatsServer {
  private child: ChildProcess | null = null;
  private readonly dir: string | null;

  private constructor(
    readonly port: number,
    readonly jetstream: boolean,
  ) {
    this.dir = jetstream ? mkdtempSync(join(tmpdir(), "nats-js-")) : null;
  }

  /** `nats://127.0.0.1:PORT`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Start a server on a free port; it is stopped after the current test. */
  static async start(options: { jetstream?: boolean } = {}): Promise<NatsServer> {
    const s = new NatsServer(await freePort(), options.jetstream ?? false);
    onCleanup(() => s.stop(true));
    await s.restart();
    return s;
  }

  /** (Re)start on the same port (and JetStream directory); resolves once it accepts connections. */
  async restart(): Promise<void> {
    const args = ["-a", "127.0.0.1", "-p", String(this.port)];
    if (this.dir !== null) args.push("-js", "-sd", this.dir);
    // Through a shell that holds the server while its stdin (a pipe from this process) is open: stop() closes
    // it, and so does this process dying in any way, so no nats-server outlives a test run.
    const child = spawn("sh", ["-c", 'nats-server "$@" & p=$!; cat >/dev/null; kill -9 $p; wait $p', "sh", ...args], { stdio: ["pipe", "ignore", "ignore"] });
    this.child = child;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    for (let i = 0; i < 500; i++) {
      if (await accepts(this.port)) return;
      if (child.exitCode !== null) break;
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20))]);
    }
    throw new Error(`nats-server did not start on port ${this.port}`);
  }

  /** Kill the server (SIGKILL, as abrupt as a crash); with `forget`, remove its JetStream directory too. */
  async stop(forget = false): Promise<void> {
    const c = this.child;
    this.child = null;
    if (c !== null && c.exitCode === null && c.signalCode === null) {
      const gone = new Promise<void>((r) => c.once("exit", () => r()));
      c.stdin!.end();
      await gone;
    }
    if (forget && this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
  }
}
