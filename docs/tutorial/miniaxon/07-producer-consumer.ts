// Step 7: using it. A producer, a consumer, and a postman between them.
import { Postman } from "./postman.js";
import { Consumer, Producer } from "./producer-consumer.js";
import { Scheduler } from "./scheduler.js";

const p = new Producer("Hello World");
const c = new Consumer();
const postie = new Postman(p, "outbox", c, "inbox");

const myscheduler = new Scheduler();
myscheduler.activateMicroprocess(p);
myscheduler.activateMicroprocess(c);
myscheduler.activateMicroprocess(postie);
for (const _ of myscheduler.main());
