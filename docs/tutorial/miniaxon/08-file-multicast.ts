// Step 8: something more useful. A FileReader sends a file, line by line,
// over UDP; a receiver prints what arrives. (The seed multicasts to
// 224.168.2.9; loopback unicast runs on any machine. The real library's
// MulticastSender/MulticastReceiver do the multicast.)
//
// Node does socket I/O on its event loop, which only runs between our
// turns: a loop that never gives way would send nothing at all. So this
// scheduler is driven by an async loop that lets the event loop in after
// every step (the real scheduler does this in time slices).
import { once } from "node:events";
import { setImmediate as eventLoopTurn } from "node:timers/promises";
import { Postman } from "./postman.js";
import { Scheduler } from "./scheduler.js";
import { FileReader, UDPReceiver, UDPSender, Writer } from "./udp.js";

const receiver = new UDPReceiver();
receiver.sock.bind(0, "127.0.0.1");
await once(receiver.sock, "listening");

const reader = new FileReader(new URL("ulysses.txt", import.meta.url).pathname);
const sender = new UDPSender("127.0.0.1", receiver.sock.address().port);
const writer = new Writer();

const myscheduler = new Scheduler(Infinity);
for (const mp of [reader, sender, receiver, writer]) myscheduler.activateMicroprocess(mp);
myscheduler.activateMicroprocess(new Postman(reader, "outbox", sender, "inbox"));
myscheduler.activateMicroprocess(new Postman(receiver, "outbox", writer, "inbox"));

const run = myscheduler.main();
const deadline = Date.now() + 30_000;
while (writer.received < 4 && Date.now() < deadline) {
  run.next();
  await eventLoopTurn();
}
sender.sock.close(); // open sockets would keep Node running
receiver.sock.close();
console.log(`${writer.received} lines`);
