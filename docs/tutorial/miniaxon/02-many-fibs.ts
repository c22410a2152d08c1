// Step 2: lots of generators, each with its own state, "run" in turn.
function* fib(a: number, b: number): Generator<number> {
  while (true) {
    yield a;
    [a, b] = [b, b + a];
  }
}

const GS = Array.from({ length: 10 }, (_, x) => fib(x, x));
for (let round = 0; round < 5; round++) {
  console.log(GS.map((G) => G.next().value).join(", "));
}
