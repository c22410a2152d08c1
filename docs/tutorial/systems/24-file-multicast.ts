// The file multicaster: MiniAxon's FileReader -> Multicast_sender, with
// the real components. ReadFileAdaptor reads the file line by line,
// MulticastSender sends each line as a datagram to a multicast group, and a
// MulticastReceiver that joined the group passes on what it hears.
import { setTimeout as sleep } from "node:timers/promises";
import { type Datagram, MulticastReceiver, MulticastSender, Pipeline, PureTransformer, ReadFileAdaptor } from "../../../src/index.js";

const file = new URL("../miniaxon/ulysses.txt", import.meta.url).pathname;
const group = "239.255.42.99";

let heard = 0;
const receiver = MulticastReceiver.create({ group, port: 0 });
const listening = Pipeline(
  receiver,
  PureTransformer((d: Datagram) => console.log(`${++heard} heard: ${d.data.toString()}`)),
);
listening.activate();
const { port } = await receiver.bound();

await Pipeline(ReadFileAdaptor.lines(file), MulticastSender.create({ host: group, port })).activate().finished();

const deadline = Date.now() + 30_000;
while (heard < 4 && Date.now() < deadline) await sleep(10);
listening.stop(); // a receiver cannot know the sender has finished: stop it
await listening.finished();
