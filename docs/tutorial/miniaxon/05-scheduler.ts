// Step 5: a scheduler running two microprocesses. They take turns. (The
// seed runs 100 loops; 4 are enough to see the pattern. The first loop only
// moves the new microprocesses into `active`, and each one's first step
// runs it up to its first `yield`: so three loops print twice.)
import { Printer } from "./microprocess.js";
import { Scheduler } from "./scheduler.js";

const X = new Printer("Hello World");
const Y = new Printer("Game Over");

const myscheduler = new Scheduler(4);
myscheduler.activateMicroprocess(X);
myscheduler.activateMicroprocess(Y);
for (const _ of myscheduler.main());
