/**
 * The tutorial's file multicaster: FileReader → multicast sender, and a
 * receiver that writes what it gets.
 *
 *   npx tsx examples/file-multicast.ts [FILE] [--out COPY] [--group 239.255.42.99] [--port 1600]
 *
 * The receiver joins the group on 127.0.0.1, the sender sends FILE in 1 KiB
 * datagrams followed by an empty one marking the end, and the receiver
 * writes what arrives to COPY (a temporary file by default). Multicast, like
 * all UDP, may lose datagrams; on loopback it does not in practice, and the
 * example says whether the copy is identical. A FILE it cannot read is one
 * line on stderr and exit status 1.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Component, Pipeline, System, runMain, type Wait } from "../src/index.js";
import { ReadFileAdaptor, SimpleFileWriter } from "../src/file/index.js";
import { MulticastReceiver, MulticastSender, type Datagram } from "../src/net/index.js";

/** Passes chunks on; when the input ends, sends an empty chunk (the end marker) first. */
export class EndMarker extends Component<Buffer, Buffer> {
  static override inboxes = { inbox: "chunks of the file", control: "producerFinished / shutdownMicroprocess" };
  static override outboxes = { outbox: "the same chunks, then an empty one", signal: "the shutdown message, passed on" };
  *main(): Wait {
    for (;;) {
      while (this.dataReady() > 0) yield* this.waitSend(this.recv());
      const kind = this.checkShutdown();
      if (kind === "stop") break;
      if (kind === "finish" && this.dataReady() === 0) {
        yield* this.waitSend(Buffer.alloc(0));
        break;
      }
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}

/** Unwraps datagrams to their bytes until the empty end marker, then finishes. */
export class UntilEndMarker extends Component<Datagram, Buffer> {
  static override inboxes = { inbox: "datagrams received", control: "producerFinished / shutdownMicroprocess" };
  static override outboxes = { outbox: "each datagram's bytes, up to the end marker", signal: "producerFinished at the end marker, or the shutdown message" };
  *main(): Wait {
    for (;;) {
      while (this.dataReady() > 0) {
        const d = this.recv();
        if (d.data.length === 0) {
          this.passOnShutdown();
          return;
        }
        yield* this.waitSend(d.data);
      }
      if (this.checkShutdown() !== null) break;
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}

/** Multicast `file` to `group:port` and write what a receiver gets to `out`; resolves when the copy is written. */
export async function multicastFile(file: string, out: string, options: { group?: string; port?: number; system?: System } = {}) {
  const system = options.system ?? new System();
  const group = options.group ?? "239.255.42.99";
  const receiver = MulticastReceiver.create({ group, port: options.port ?? 0 });
  const writer = new SimpleFileWriter(out);
  Pipeline(receiver, new UntilEndMarker(), writer).activate(system);
  const { port } = await receiver.bound();
  Pipeline(ReadFileAdaptor.chunks(file, 1024), new EndMarker(), MulticastSender.create({ host: group, port })).activate(system);
  // A failure (a missing FILE, say) rejects `running`; otherwise the copy is complete when the writer finishes.
  const running = system.run();
  await Promise.race([writer.finished(), running]);
  receiver.stop();
  await running;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runMain("file-multicast", async () => {
    const args = process.argv.slice(2);
    const opt = (n: string, d: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1]! : d);
    const file = args[0] !== undefined && !args[0].startsWith("--") ? args[0] : fileURLToPath(import.meta.url);
    const out = opt("out", join(tmpdir(), `file-multicast-copy-${process.pid}`));
    await multicastFile(file, out, { group: opt("group", "239.255.42.99"), port: Number(opt("port", "1600")) });
    const same = readFileSync(file).equals(readFileSync(out));
    console.log(`Multicast ${file} to ${opt("group", "239.255.42.99")}:${opt("port", "1600")}; received copy in ${out}: ${same ? "identical" : "DIFFERENT"}`);
  });
}
