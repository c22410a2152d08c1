// Mistake 2: a forgotten link. Step 7 without its postman: nothing fails,
// nothing is printed. The messages pile up in the producer's outbox.
import { Consumer, Producer } from "./producer-consumer.js";
import { Scheduler } from "./scheduler.js";

const p = new Producer("Hello World");
const c = new Consumer();

const myscheduler = new Scheduler();
myscheduler.activateMicroprocess(p);
myscheduler.activateMicroprocess(c);
for (const _ of myscheduler.main());
console.log(`the consumer printed nothing; ${p.dataReady("outbox")} messages wait in the producer's outbox`);
