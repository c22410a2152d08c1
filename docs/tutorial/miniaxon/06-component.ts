// Step 6: a component's boxes, by hand.
import { Component } from "./component.js";

const X = new Component();
console.log(X.boxes);
X.send("hello", "outbox");
console.log(X.boxes);

X.boxes.inbox!.push("hello", "world");
console.log(X.dataReady("inbox"));
console.log(X.recv("inbox"));
console.log(X.boxes);
