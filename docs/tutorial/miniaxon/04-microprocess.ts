// Step 4: using a microprocess by hand. Changing X.tag changes what the
// running generator prints: the generator reads its object's state.
import { Printer } from "./microprocess.js";

const X = new Printer("Something");
const G = X.main();
console.log(G.next().value);
console.log(G.next().value);
X.tag = "Something else";
console.log(G.next().value);
