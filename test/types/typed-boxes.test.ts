/**
 * Compile-time tests of typed boxes. Every `@ts-expect-error` line must keep
 * failing to compile: `npm test` type-checks this file (tsc), so if a mistyped
 * link ever compiled, the unused directive would fail the build. The runtime
 * test below only proves the well-typed lines also run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Component, Graphline, Pipeline, type ControlMessage } from "../../src/index.js";

class N2S extends Component<number, string> {
  *main() {
    yield* this.processMessages((n) => this.send(String(n)));
  }
}
class S2N extends Component<string, number> {
  *main() {
    yield* this.processMessages((s) => this.send(s.length));
  }
}
class S2S extends Component<string, string> {
  *main() {
    yield* this.processMessages((s) => this.send(s));
  }
}
class Anything extends Component<unknown, never> {
  *main() {
    yield* this.processMessages(() => undefined);
  }
}
class Split extends Component<string, string> {
  readonly lengths = this.addOutbox<number>("lengths", "the length of each string");
  readonly extraIn = this.addInbox<boolean>("extraIn", "flags");
  *main() {
    yield* this.processMessages((s) => {
      this.send(s);
      this.send(s.length, this.lengths);
    });
  }
}

// ---- send / recv inside a component
export class Body extends Component<number, string> {
  readonly counts = this.addOutbox<number>("counts");
  *main() {
    const n: number = this.recv();
    const c: ControlMessage = this.recv("control");
    void c;
    this.send(String(n));
    this.send(n, this.counts);
    // @ts-expect-error outbox carries strings
    this.send(n);
    // @ts-expect-error counts carries numbers
    this.send("x", this.counts);
    // @ts-expect-error no box called "nope"
    this.send("x", "nope");
    // @ts-expect-error recv from the inbox gives a number
    const s: string = this.recv();
    void s;
    yield;
  }
}

/** Type-checked by tsc but never run: some of these lines are meant to be wrong. */
export function compileOnly(): void {
  // ---- link
  const root = new S2S();
  root.link(new N2S().outbox, new S2N().inbox);
  root.link(new Split().lengths, new N2S().inbox);
  root.link(new N2S().outbox, new Anything().inbox); // anything accepts a string
  // @ts-expect-error a string outbox into a number inbox
  root.link(new N2S().outbox, new N2S().inbox);
  // @ts-expect-error the lengths outbox carries numbers
  root.link(new Split().lengths, new S2N().inbox);
  // @ts-expect-error passthrough in: a number inbox cannot forward to a string inbox
  root.link(new N2S().inbox, new S2N().inbox);

  // ---- Pipeline, at any length (22 stages)
  const p22 = Pipeline(new N2S(), new S2N(), new N2S(), new S2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S());
  const typedP22: Component<number, string> = p22;
  void typedP22;
  // @ts-expect-error the pipeline takes numbers in
  const wrongIn: Component<string, string> = p22;
  void wrongIn;
  // @ts-expect-error stage 1 cannot take what stage 0 sends
  Pipeline(new N2S(), new N2S());
  // A mismatch at stage 21 of 22 is still caught.
  // @ts-expect-error stage 21 takes strings, stage 20 sends numbers
  Pipeline(new N2S(), new S2N(), new N2S(), new S2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new N2S(), new S2N(), new S2N());
  // Nested pipelines keep their types.
  Pipeline(new N2S(), Pipeline(new S2N(), new N2S()), new S2S());
  // @ts-expect-error the nested pipeline sends strings
  Pipeline(Pipeline(new S2N(), new N2S()), new N2S());
  // Circular pipelines must close the loop.
  Pipeline.circular(new N2S(), new S2N());
  // @ts-expect-error the last stage sends strings, the first takes numbers
  Pipeline.circular(new N2S(), new S2S());

  // ---- Graphline linkages
  const g = Graphline(
    { A: new N2S(), B: new S2N(), C: new Split() },
    { "self.inbox": "A.inbox", "A.outbox": "C.inbox", "C.outbox": "B.inbox", "B.outbox": "self.outbox" },
  );
  const typedG: Component<number, number> = g;
  void typedG;
  Graphline({ A: new N2S(), B: new S2N() }, { "A.outbox": "B.inbox", "B.signal": "self.signal" });
  // @ts-expect-error A sends strings; A's inbox takes numbers
  Graphline({ A: new N2S(), B: new S2N() }, { "A.outbox": "A.inbox" });
  // @ts-expect-error there is no child called Z
  Graphline({ A: new N2S() }, { "Z.outbox": "A.inbox" });
  // @ts-expect-error A has no outbox called nope
  Graphline({ A: new N2S() }, { "A.nope": "self.outbox" });
  // @ts-expect-error C.lengths carries numbers, and C's extra inbox takes booleans
  Graphline({ C: new Split(), B: new S2N() }, { "C.lengths": "C.extraIn" });

}

// ---- typed settings
class Server extends Component {
  port = 1601;
  host = "127.0.0.1";
  *main() {}
}
export function compileOnlySettings(): void {
  Server.create({ port: 25 });
  // @ts-expect-error a misspelt setting does not compile
  Server.create({ prot: 25 });
  // @ts-expect-error a setting of the wrong type does not compile
  Server.create({ port: "25" });
}

test("the well-typed wiring above also runs", async () => {
  const { System } = await import("../../src/index.js");
  const sys = new System();
  const p = Pipeline(new N2S(), new S2N(), new N2S());
  const sink = new (class extends Component<string, never> {
    got: string[] = [];
    *main() {
      yield* this.processMessages((s) => void this.got.push(s));
    }
  })();
  const top = Pipeline(p, sink);
  top.activate(sys);
  top.inbox.final.deliver(12345, "test");
  const { producerFinished } = await import("../../src/index.js");
  top.control.final.deliver(producerFinished(), "test");
  await sys.run();
  assert.deepEqual(sink.got, ["5"]);
});
