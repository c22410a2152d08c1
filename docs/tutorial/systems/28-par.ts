// PAR runs components side by side, merging what they send. First the
// slideshow again, shorter: the buttons in a PAR, in a Pipeline.
import { Chooser, ConsoleEchoer, DataSource, PAR, Pipeline, PureTransformer, type ChooserCommand } from "../../../src/index.js";

const files = ["1-intro.png", "2-miniaxon.png", "3-graphline.png", "4-questions.png"];
const Button = (...presses: ChooserCommand[]) => DataSource(...presses);

await Pipeline(
  PAR(Button("NEXT", "NEXT"), Button("PREV"), Button("LAST")),
  new Chooser(files),
  new ConsoleEchoer<string>({ tag: "showing ", eol: "\n" }),
).run();

// Second, PAR to run and shut down several subsystems together: what comes
// in is copied to each; producerFinished (here, from the DataSource) reaches
// every one, and the PAR finishes when all of them have.
await Pipeline(
  DataSource("frame 1", "frame 2"),
  PAR(
    Pipeline(PureTransformer((f: string) => `overlay: ${f}`)),
    Pipeline(PureTransformer((f: string) => `surface: ${f.toUpperCase()}`)),
  ),
  new ConsoleEchoer({ eol: "\n" }),
).run();
console.log("all subsystems finished");
