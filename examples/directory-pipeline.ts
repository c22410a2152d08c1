/**
 * The transcode engine from the seeds, crash-safe:
 *
 *   npx tsx examples/directory-pipeline.ts IN OUT
 *
 * Watches IN. Each new file is put through a pipeline that drops comment
 * lines (those starting with "#") and upper-cases the rest, and the result
 * is written to OUT under the same name. Prints "ready" once watching and
 * "done NAME" for each file finished. Stop it with Ctrl-C / SIGTERM.
 *
 * Every input produces exactly one output, even if the program is killed
 * (SIGKILL included) at any moment and started again, because each step is
 * an atomic rename on one filesystem and a restart resumes from whatever
 * step was reached:
 *
 *   1. claim    IN/name          → IN/.work/name       (rename)
 *   2. process  IN/.work/name    → OUT/.partial/name   (written, fsynced, closed)
 *   3. commit   IN/.work/name    → IN/.done/name       (rename: the output is complete)
 *   4. publish  OUT/.partial/name → OUT/name          (rename)
 *   5. forget   IN/.done/name                          (unlink)
 *
 * On start: for each IN/.done/name, publish OUT/.partial/name if it is still
 * there, then forget it (steps 4-5); each IN/.work/name is processed again
 * from step 2 (its partial output is simply overwritten); then new files.
 * Writers should create files elsewhere and rename them into IN, so a file
 * is never claimed half-written. Names are the identity of the work: a file
 * dropped again under a name already done is processed again.
 *
 * Testing hooks (environment): DIRPIPE_DELAY_MS sleeps that long between
 * steps; DIRPIPE_CRASH_AT=step:n SIGKILLs the process right after step
 * ("claim", "process", "commit" or "publish") of the n-th file of this run.
 */
import { mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import {
  Component,
  DirectoryWatcher,
  ErrorInformation,
  Grep,
  Pipeline,
  ReadFileAdaptor,
  SimpleFileWriter,
  type AnyComponent,
  type ComponentFailure,
  type Wait,
  producerFinished,
  shutdownOnSignals,
} from "../src/index.js";

const [inArg, outArg] = process.argv.slice(2);
if (!inArg || !outArg) {
  console.error("usage: npx tsx examples/directory-pipeline.ts IN OUT");
  process.exit(2);
}
const IN = resolve(inArg);
const OUT = resolve(outArg);
const WORK = join(IN, ".work");
const DONE = join(IN, ".done");
const FAILED = join(IN, ".failed");
const PARTIAL = join(OUT, ".partial");
const delayMs = Number(process.env.DIRPIPE_DELAY_MS ?? 0);
const [crashStep, crashN] = (process.env.DIRPIPE_CRASH_AT ?? ":").split(":");
const stepsThisRun = new Map<string, number>();

function step(name: string): void {
  const n = (stepsThisRun.get(name) ?? 0) + 1;
  stepsThisRun.set(name, n);
  if (name === crashStep && n === Number(crashN)) process.kill(process.pid, "SIGKILL");
}

async function pace(c: AnyComponent): Promise<void> {
  if (delayMs > 0) await c.sleepAsync(delayMs);
}

/** Moves each new file into the work directory (step 1), first sending the work a previous run had claimed. */
class Claimer extends Component<string, string> {
  static override inboxes = { inbox: "paths of new files in IN", control: "shutdown" };
  static override outboxes = { outbox: "paths of claimed files in IN/.work", signal: "shutdown, passed on" };

  async main(): Promise<void> {
    for (const name of readdirSync(WORK).sort()) await this.sendAsync(join(WORK, name));
    for (;;) {
      const kind = this.checkShutdown();
      if (kind === "stop") break;
      if (this.dataReady() === 0) {
        if (kind === "finish") break;
        await this.readyAsync();
        continue;
      }
      const from = this.recv();
      const to = join(WORK, basename(from));
      try {
        await rename(from, to);
      } catch {
        continue; // gone already (claimed by someone else, or deleted): not ours
      }
      step("claim");
      await this.sendAsync(to);
    }
    this.passOnShutdown();
  }
}

/** Upper-cases each line and gives it back its newline; refuses binary content (a NUL byte), failing the file. */
class UpperLine extends Component<string, string> {
  static override inboxes = { inbox: "lines of text", control: "shutdown" };
  static override outboxes = { outbox: "each line upper-cased, with a newline", signal: "shutdown, passed on" };
  *main(): Wait {
    yield* this.processMessages((line) => {
      if (line.includes("\0")) throw new Error("binary content (a NUL byte): not a text file");
      return this.waitSend(`${line.toUpperCase()}\n`);
    });
  }
}

/** Runs the content pipeline for each claimed file, then commits and publishes it (steps 2-5). */
class Transcoder extends Component<string, string> {
  static override inboxes = { inbox: "paths of claimed files in IN/.work", control: "shutdown" };
  static override outboxes = {
    outbox: "the name of each file published to OUT",
    signal: "shutdown, passed on",
    error: "ErrorInformation for each file that could not be processed (moved to IN/.failed)",
  };
  readonly error = this.addOutbox<ErrorInformation>("error");
  #failure: ComponentFailure | null = null;

  protected override childFailed(_child: AnyComponent, failure: ComponentFailure): void {
    this.#failure = failure;
    // A stage deep in the content pipeline failed: the rest of it would wait for ever, so stop waiting.
    this.unpause();
  }

  async main(): Promise<void> {
    for (;;) {
      const kind = this.checkShutdown();
      if (kind === "stop") break;
      if (this.dataReady() === 0) {
        if (kind === "finish") break;
        await this.readyAsync();
        continue;
      }
      const work = this.recv();
      const name = basename(work);
      const partial = join(PARTIAL, name);
      await pace(this);
      const content = Pipeline(ReadFileAdaptor.lines(work), new Grep(/^#/, { invert: true }), new UpperLine(), new SimpleFileWriter(partial));
      this.#failure = null;
      this.addChildren(content);
      content.activate(this.system!);
      try {
        while (!content.isFinished() && this.#failure === null) await this.pauseAsync();
      } finally {
        // On stop() the child goes too; the claimed file stays in IN/.work for the next run.
        content.stop();
        this.removeChild(content);
      }
      if (this.#failure !== null) {
        await unlink(partial).catch(() => undefined);
        await rename(work, join(FAILED, name)).catch(() => undefined);
        await this.sendAsync(new ErrorInformation(this, this.#failure, name), this.error);
        continue;
      }
      if (this.checkShutdown() === "stop") break;
      step("process");
      await pace(this);
      await rename(work, join(DONE, name));
      step("commit");
      await pace(this);
      await rename(partial, join(OUT, name));
      step("publish");
      await unlink(join(DONE, name));
      await this.sendAsync(name);
    }
    this.passOnShutdown();
  }
}

/** Prints a line for each file done. */
class Reporter extends Component<string, never> {
  static override inboxes = { inbox: "names of files done", control: "shutdown" };
  static override outboxes = { outbox: "unused", signal: "shutdown, passed on" };
  *main(): Wait {
    yield* this.processMessages((name) => void console.log(`done ${name}`));
  }
}

/** Finish what a previous run committed but had not published (steps 4-5). */
function recover(): void {
  for (const name of readdirSync(DONE)) {
    try {
      renameSync(join(PARTIAL, name), join(OUT, name));
    } catch {
      // already published before the crash
    }
    rmSync(join(DONE, name), { force: true });
    console.log(`done ${name}`);
  }
}

for (const d of [IN, WORK, DONE, FAILED, OUT, PARTIAL]) mkdirSync(d, { recursive: true });
recover();

const watcher = new DirectoryWatcher(IN, { pollInterval: 200 });
const transcoder = new Transcoder();
const errors = new (class extends Component<ErrorInformation, never> {
  *main(): Wait {
    yield* this.processMessages((e) => void console.error(`failed ${String(e.message)}: ${e.error.message}`));
  }
})();
const app = Pipeline(watcher, new Claimer(), transcoder, new Reporter());
app.link(transcoder.error, errors.inbox);

// The watcher scans once more and stops; files already claimed are finished; then the process exits 0.
shutdownOnSignals(watcher);
app.activate();
errors.activate();
await watcher.started();
console.log("ready");
await app.finished();
errors.control.deliver(producerFinished(), "main");
await errors.finished();
