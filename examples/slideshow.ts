/**
 * The seeds' slideshow, in a terminal: a Graphline of a Chooser, four
 * "buttons" (NEXT, PREVIOUS, FIRST, LAST) and a viewer, exactly the shape
 * of the Europython tutorial's "Graphlines" slide. The buttons are driven
 * by keys instead of mouse clicks.
 *
 * ```sh
 * npx tsx examples/slideshow.ts [FILES...]   # no files: built-in slides
 * ```
 *
 * Keys: n or → next, p or ← previous, f or Home first, l or End last,
 * q (or Ctrl-C, or the end of piped input) quits. It works on a terminal
 * (raw mode, one key at a time) and with piped input (`printf 'nnpq' | …`).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { Readable, Writable } from "node:stream";
import { Chooser, Component, Fanout, Graphline, shutdownOnSignals, type ChooserCommand } from "../src/index.js";

/** One slide, numbered so the viewer can say where it is. */
interface Slide {
  n: number;
  of: number;
  title: string;
  body: string;
}

/** Escape sequences for the keys the buttons understand. */
const ESCAPES: Record<string, string> = {
  "\x1b[C": "right",
  "\x1b[D": "left",
  "\x1b[H": "home",
  "\x1b[F": "end",
  "\x1b[1~": "home",
  "\x1b[4~": "end",
  "\x1bOH": "home",
  "\x1bOF": "end",
};

/** The keys some button understands. */
const BUTTON_KEYS = new Set(["n", "p", "f", "l", "right", "left", "home", "end"]);

/**
 * Reads key presses from a stream and sends each button key's name: "n",
 * "p", "f", "l", or "right", "left", "home", "end" for the arrows and
 * Home/End. Other keys and whitespace are ignored, so piped lines work too.
 * It finishes on "q", Ctrl-C, or the end of input.
 *
 * The four buttons are parallel paths into the Chooser, so two keys sent
 * back to back could overtake each other. The viewer therefore acknowledges
 * every slide it shows, and a key is sent only against an acknowledgement:
 * one key in flight at a time, so keys typed (or piped) ahead are obeyed in order.
 *
 * Boxes: `inbox` acknowledgements, one per slide shown; `outbox` key names;
 * `signal`: producerFinished when it ends (or the shutdown message
 * received); `control`: shutdown messages.
 */
class KeyReader extends Component<unknown, string> {
  static override inboxes = { inbox: "one acknowledgement per slide shown", control: "producerFinished or shutdownMicroprocess: stop reading" };
  static override outboxes = { outbox: "the name of each button key pressed", signal: "producerFinished when reading ends" };

  constructor(private readonly input: Readable) {
    super();
  }

  async main(): Promise<void> {
    const keys: string[] = [];
    let quit = false;
    const onData = (chunk: Buffer | string): void => {
      const s = chunk.toString();
      for (let i = 0; i < s.length && !quit; i++) {
        const esc = Object.keys(ESCAPES).find((e) => s.startsWith(e, i));
        let key = s[i]!;
        if (esc !== undefined) {
          key = ESCAPES[esc]!;
          i += esc.length - 1;
        }
        if (key === "q" || key === "\x03") quit = true;
        else if (BUTTON_KEYS.has(key)) keys.push(key);
      }
      this.unpause();
    };
    const onEnd = (): void => {
      quit = true;
      this.unpause();
    };
    this.input.on("data", onData);
    this.input.on("end", onEnd);
    this.input.resume();
    try {
      while (this.checkShutdown() === null) {
        if (keys.length > 0 && this.dataReady() > 0) {
          this.recv();
          await this.sendAsync(keys.shift()!);
          continue;
        }
        if (quit && keys.length === 0) break;
        await this.pauseAsync();
      }
    } finally {
      this.input.off("data", onData);
      this.input.off("end", onEnd);
      this.input.pause();
    }
    this.passOnShutdown();
  }
}

/**
 * A button worked by keys (the seed's `Button(caption, msg)`): sends `msg`
 * whenever one of its keys arrives on `inbox`, ignoring other keys.
 *
 * Boxes: `inbox` key names; `outbox` the button's command;
 * `control`/`signal`: the shared shutdown convention.
 */
class KeyButton extends Component<unknown, ChooserCommand> {
  static override inboxes = { inbox: "key names; other keys are ignored", control: "the shared shutdown convention" };
  static override outboxes = { outbox: "the button's command, once per press", signal: "the shutdown message, passed on" };

  constructor(
    private readonly keys: readonly string[],
    private readonly msg: ChooserCommand,
  ) {
    super();
  }

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages((key) => {
      if (typeof key === "string" && this.keys.includes(key)) return this.waitSend(this.msg);
    });
  }
}

/**
 * Shows each slide it receives (the seed's `Image`): on a terminal it clears
 * the screen first; piped, it prints one slide after another. After each
 * slide it sends an acknowledgement (the slide's number) for flow control.
 *
 * Boxes: `inbox` slides; `outbox` the number of each slide shown, once shown;
 * `control`/`signal`: the shared shutdown convention.
 */
class SlideViewer extends Component<Slide, number> {
  static override inboxes = { inbox: "slides to show", control: "the shared shutdown convention" };
  static override outboxes = { outbox: "the number of each slide, once it is shown", signal: "the shutdown message, passed on" };

  constructor(private readonly output: Writable & { isTTY?: boolean }) {
    super();
  }

  *main(): Generator<unknown, void, unknown> {
    yield* this.processMessages((s) => {
      const clear = this.output.isTTY === true ? "\x1b[2J\x1b[H" : "";
      const help = "n/→ next · p/← previous · f/Home first · l/End last · q quit";
      this.output.write(`${clear}=== Slide ${s.n}/${s.of}: ${s.title} ===\n${s.body.trimEnd()}\n--- ${help}\n`);
      return this.waitSend(s.n);
    });
  }
}

const BUILT_IN: [string, string][] = [
  ["Kamaelia", "Concurrency made easy: components that do one thing well,\nwired together, exchanging streams of messages."],
  ["Components", "A component reads its inboxes and writes its outboxes.\nIt never names its peers."],
  ["Graphlines", "Pipelines are lines; Graphlines are any shape.\nThis slideshow is one: buttons → Chooser → viewer."],
  ["Shutdown", "producerFinished: finish, then stop.\nshutdownMicroprocess: stop now.\nPress q to see it travel."],
];

function loadSlides(files: readonly string[]): Slide[] {
  const pages: [string, string][] = files.length === 0 ? BUILT_IN : files.map((f) => [basename(f), readFileSync(f, "utf8")]);
  return pages.map(([title, body], i) => ({ n: i + 1, of: pages.length, title, body }));
}

/** Build the slideshow Graphline over the given streams. */
function Slideshow(slides: Slide[], input: Readable, output: Writable) {
  return Graphline(
    {
      KEYS: new KeyReader(input),
      SPLIT: Fanout(["next", "previous", "first", "last"]),
      NEXT: new KeyButton(["n", "right"], "NEXT"),
      PREVIOUS: new KeyButton(["p", "left"], "PREV"),
      FIRST: new KeyButton(["f", "home"], "FIRST"),
      LAST: new KeyButton(["l", "end"], "LAST"),
      CHOOSER: new Chooser(slides),
      IMAGE: new SlideViewer(output),
    },
    {
      "KEYS.outbox": "SPLIT.inbox",
      "SPLIT.next": "NEXT.inbox",
      "SPLIT.previous": "PREVIOUS.inbox",
      "SPLIT.first": "FIRST.inbox",
      "SPLIT.last": "LAST.inbox",
      "NEXT.outbox": "CHOOSER.inbox",
      "PREVIOUS.outbox": "CHOOSER.inbox",
      "FIRST.outbox": "CHOOSER.inbox",
      "LAST.outbox": "CHOOSER.inbox",
      "CHOOSER.outbox": "IMAGE.inbox",
      // Flow control: one key in flight at a time (see KeyReader).
      "IMAGE.outbox": "KEYS.inbox",
      // Shutdown routing, as in the seeds' whiteboard: q ends KEYS, and its
      // producerFinished travels down this chain behind the last key's data.
      "KEYS.signal": "SPLIT.control",
      "SPLIT.signal": "NEXT.control",
      "NEXT.signal": "PREVIOUS.control",
      "PREVIOUS.signal": "FIRST.control",
      "FIRST.signal": "LAST.control",
      "LAST.signal": "CHOOSER.control",
      "CHOOSER.signal": "IMAGE.control",
    },
  );
}

async function main(): Promise<void> {
  let slides: Slide[];
  try {
    slides = loadSlides(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`slideshow: ${(e as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const stdin = process.stdin;
  const raw = stdin.isTTY === true;
  if (raw) stdin.setRawMode(true);
  try {
    const show = Slideshow(slides, stdin, process.stdout);
    // SIGTERM (or SIGINT when not in raw mode) ends it as q does, so the terminal is restored.
    shutdownOnSignals(show);
    await show.run();
  } finally {
    if (raw) stdin.setRawMode(false);
    stdin.pause();
  }
}

await main();
