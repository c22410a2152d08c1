// Step 1: a generator. Calling fib() runs nothing; each next() runs it up to
// its next `yield` and hands back the value yielded.
function* fib(a: number, b: number): Generator<number> {
  while (true) {
    yield a;
    [a, b] = [b, b + a];
  }
}

const g = fib(1, 1);
console.log(String(g));
console.log(Array.from({ length: 10 }, () => g.next().value).join(", "));
