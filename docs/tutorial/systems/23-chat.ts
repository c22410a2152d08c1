// The chat server from the slides: a Backplane, and a protocol that
// publishes what a client says to it and subscribes the client to it.
// Every line goes to every client, the sender included.
import { Backplane, Handle, LineDeFramer, Pipeline, PublishTo, ServerCore, SubscribeTo, TCPClient } from "../../../src/index.js";

const chat = Backplane("CHAT").activate();
const server = ServerCore.create({ port: 0, protocol: () => Pipeline(PublishTo("CHAT"), SubscribeTo("CHAT")) });
const serving = server.run();
const { port } = await server.listening();

// Two users, driven from plain async code through Handles.
const user = () => new Handle(Pipeline(new TCPClient("127.0.0.1", port), new LineDeFramer()));
const alice = user();
await alice.put("alice here\n");
console.log("alice hears:", await alice.get());
// Bob connects only now, so he never hears what was said before he joined.
const bob = user();
await bob.put("bob here\n");
console.log("bob hears:  ", await bob.get());
console.log("alice hears:", await alice.get());
await alice.put("hi bob\n");
console.log("bob hears:  ", await bob.get());
console.log("alice hears:", await alice.get());

await alice.dispose();
await bob.dispose();
server.stop();
chat.stop(); // run() resolves when every component, the backplane too, has finished
await serving;
