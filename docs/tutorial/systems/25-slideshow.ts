// The slides' Graphline: a presentation tool. Four buttons send commands
// to a Chooser, which sends the file to show to an image viewer. Here the
// buttons are canned presses (DataSource) and the viewer prints the file's
// name; examples/slideshow.ts drives the same shape from the keyboard.
import { Chooser, ConsoleEchoer, DataSource, Graphline, type ChooserCommand } from "../../../src/index.js";

const files = ["1-intro.png", "2-miniaxon.png", "3-graphline.png", "4-questions.png"];
const Button = (...presses: ChooserCommand[]) => DataSource(...presses);

await Graphline(
  {
    CHOOSER: new Chooser(files),
    IMAGE: new ConsoleEchoer<string>({ tag: "showing ", eol: "\n" }),
    NEXT: Button("NEXT", "NEXT"),
    PREVIOUS: Button("PREV"),
    FIRST: Button("FIRST"),
    LAST: Button("LAST"),
  },
  {
    "NEXT.outbox": "CHOOSER.inbox",
    "PREVIOUS.outbox": "CHOOSER.inbox",
    "FIRST.outbox": "CHOOSER.inbox",
    "LAST.outbox": "CHOOSER.inbox",
    "CHOOSER.outbox": "IMAGE.inbox",
    // Shutdown routing: when the last button is done, the Chooser finishes
    // what it was asked, then tells the viewer.
    "LAST.signal": "CHOOSER.control",
    "CHOOSER.signal": "IMAGE.control",
  },
).run();
