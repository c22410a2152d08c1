// A microprocess: a generator with context. The object holds the state;
// main() is the generator that does the work.
export class Microprocess {
  *main(): Generator<unknown> {
    yield 1;
  }
}

/** Prints its tag every time it runs. */
export class Printer extends Microprocess {
  constructor(public tag: string) {
    super();
  }

  override *main(): Generator<unknown> {
    while (true) {
      yield 1;
      console.log(this.tag);
    }
  }
}
