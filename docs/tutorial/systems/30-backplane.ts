// A Backplane is a named pub/sub bus: PublishTo("PLAYERS") anywhere sends
// to every SubscribeTo("PLAYERS"), each getting a copy. The slides' game
// posts each player's position there, and an analyser follows them all.
import { setTimeout as sleep } from "node:timers/promises";
import { Backplane, ConsoleEchoer, DataSource, Pipeline, PublishTo, PureTransformer, SubscribeTo, System } from "../../../src/index.js";

type Position = [who: string, x: number, y: number];

const system = new System();
Backplane<Position>("PLAYERS").activate(system);

let analysed = 0;
Pipeline(
  SubscribeTo<Position>("PLAYERS"),
  PureTransformer(([who, x, y]: Position) => `${who} at (${x}, ${y}), ${Math.hypot(x, y).toFixed(1)} from the centre (#${++analysed})`),
  new ConsoleEchoer({ eol: "\n" }),
).activate(system);

// Each player's moves, tagged with its name, posted to the backplane.
const player = (name: string, ...moves: [number, number][]) =>
  Pipeline(DataSource(...moves), PureTransformer(([x, y]: [number, number]): Position => [name, x, y]), PublishTo<Position>("PLAYERS"));
player("Cat", [3, 4], [6, 8]).activate(system);
player("Dog", [1, 1]).activate(system);

const deadline = Date.now() + 30_000;
while (analysed < 3 && Date.now() < deadline) await sleep(10);
system.stop(); // a backplane and its subscribers run until stopped
await system.run();
