// Carousel runs one child at a time, made afresh by a factory for each
// request on its "next" box, and asks for the next (on "requestNext") when
// the child finishes: a player for a list of files, a new reader for each.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Carousel, Component, ConsoleEchoer, Graphline, ReadFileAdaptor } from "../../../src/index.js";

/** Sends the first file's name, then the next one for each request; says it has finished after the last. */
class Playlist extends Component<string, string> {
  constructor(readonly files: string[]) {
    super();
  }
  *main() {
    for (const [i, file] of this.files.entries()) {
      this.send(file);
      if (i < this.files.length - 1) yield* this.waitRecv(); // "NEXT", when the player wants it
    }
    this.passOnShutdown();
  }
}

const dir = mkdtempSync(join(tmpdir(), "carousel-"));
const sides = ["side A: track 1", "side A: track 2", "side B: track 1"];
writeFileSync(join(dir, "a.txt"), `${sides[0]}\n${sides[1]}\n`);
writeFileSync(join(dir, "b.txt"), `${sides[2]}\n`);

await Graphline(
  {
    PLAYLIST: new Playlist([join(dir, "a.txt"), join(dir, "b.txt")]),
    PLAYER: Carousel((file: string) => ReadFileAdaptor.lines(file)),
    OUT: new ConsoleEchoer<string>({ eol: "\n" }),
  },
  {
    "PLAYLIST.outbox": "PLAYER.next",
    "PLAYER.requestNext": "PLAYLIST.inbox",
    "PLAYER.outbox": "OUT.inbox",
    "PLAYLIST.signal": "PLAYER.control",
    "PLAYER.signal": "OUT.control",
  },
).run();
console.log(`played ${sides.length} tracks from 2 files`);
rmSync(dir, { recursive: true });
