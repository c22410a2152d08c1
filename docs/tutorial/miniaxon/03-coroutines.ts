// Step 3: generators as co-routines. The value yielded no longer matters:
// `yield` just means "I give way; run me again later". Calling next() on
// each in turn interleaves them: the simplest possible scheduler.
function* printer(tag: string): Generator<number> {
  while (true) {
    yield 1; // makes it a generator, and gives way
    console.log(tag);
  }
}

const ps = [printer("ping"), printer("pong")];
for (let round = 0; round < 3; round++) for (const p of ps) p.next();
