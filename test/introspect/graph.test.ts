import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Component, GraphlineComponent, System, type Wait } from "../../src/index.js";
import { GraphError, Registry, exportGraph, graphlineFromJSON, toDot, toMermaid, type GraphDocument } from "../../src/introspect/index.js";

/** Sends `count` numbers, then waits to be told to stop. */
class Counter extends Component<never, number> {
  count = 3;
  label = "n";
  *main(): Wait {
    for (let i = 0; i < this.count; i++) yield* this.waitSend(i);
    while (this.checkShutdown() === null) {
      this.pause();
      yield;
    }
    this.passOnShutdown();
  }
}

/** Keeps what it receives until told to finish. */
class Keeper extends Component<number, number> {
  got: number[] = [];
  limit = 0;
  *main(): Wait {
    yield* this.processMessages((n) => void this.got.push(n));
  }
}

const registry = () => new Registry().add(Counter).add(Keeper);

const doc: GraphDocument = {
  kamaelia: "graph",
  version: 1,
  type: "Graphline",
  components: {
    SRC: { type: "Counter", settings: { count: 5 } },
    INNER: {
      type: "Graphline",
      components: { KEEP: { type: "Keeper" } },
      links: { "self.inbox": "KEEP.inbox", "self.control": "KEEP.control" },
    },
  },
  links: { "SRC.outbox": "INNER.inbox" },
};

describe("graph as data", () => {
  it("JSON → Graphline → JSON round-trips, built and while running", async () => {
    const g = graphlineFromJSON(JSON.stringify(doc), registry());
    assert.ok(g instanceof GraphlineComponent);
    assert.deepEqual(exportGraph(g), doc);
    const system = new System();
    g.activate(system);
    // Running: the links now exist as real linkages, and export the same.
    await new Promise<void>((resolve) => {
      const poll = () => (g.linkages().length > 0 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    const running = exportGraph(g);
    assert.deepEqual(running.components, doc.components);
    assert.deepEqual(running.links, doc.links);
    const keep = (g as GraphlineComponent).children.INNER as GraphlineComponent;
    await new Promise<void>((resolve) => {
      const poll = () => ((keep.children.KEEP as Keeper).got.length === 5 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    assert.deepEqual((keep.children.KEEP as Keeper).got, [0, 1, 2, 3, 4]);
    system.stop();
    await system.run();
  });

  it("exports a whole system, naming top-level components", async () => {
    const system = new System();
    const g = graphlineFromJSON(doc, registry()).activate(system);
    const all = exportGraph(system);
    assert.equal(all.type, "System");
    assert.deepEqual(Object.keys(all.components ?? {}), [g.name]);
    system.stop();
    await system.run();
  });

  it("draws DOT and Mermaid with clusters for nesting and a labelled edge per link", () => {
    const dot = toDot(doc);
    assert.match(dot, /^digraph kamaelia \{/);
    assert.match(dot, /subgraph cluster_n2 \{\n\s+label="INNER : Graphline";/);
    assert.match(dot, /n1 \[label="SRC\\nCounter"\];/);
    assert.match(dot, /n1 -> n2 \[label="outbox→inbox"\];/);
    assert.match(dot, /n2 -> n3 \[label="inbox→inbox"\];/);
    const mermaid = toMermaid(doc);
    assert.match(mermaid, /^flowchart LR\n/);
    assert.match(mermaid, /subgraph n2 \["INNER : Graphline"\]\n\s+n3\["KEEP : Keeper"\]\n\s+end/);
    assert.match(mermaid, /n1 -->\|"outbox→inbox"\| n2/);
  });

  it("bad graph JSON: one-line errors naming the place and the problem", () => {
    const bad = (json: unknown, pattern: RegExp) => {
      assert.throws(() => graphlineFromJSON(json, registry()), (e: unknown) => {
        assert.ok(e instanceof GraphError, String(e));
        assert.doesNotMatch(e.message, /\n/);
        assert.match(e.message, pattern);
        return true;
      });
    };
    bad("{ not json", /graph JSON does not parse/);
    bad("[1,2]", /graph JSON must be an object, got an array/);
    bad({ type: 3 }, /graph\.type must be a non-empty string, got number/);
    bad({ type: "Graphline", components: { A: { type: "Nope" } } }, /graph\.components\.A: unknown component type "Nope" \(registered: Counter, Keeper\)/);
    bad({ type: "Graphline", components: { A: { type: "Counter", settings: { cuont: 1 } } } }, /graph\.components\.A: making a Counter failed: Counter has no setting "cuont"/);
    bad({ type: "Graphline", components: { A: { type: "Counter", settings: { count: [1] } } } }, /graph\.components\.A\.settings\.count must be a string, number, boolean or null, got an array/);
    bad({ type: "Graphline", components: { A: { type: "Counter" } }, links: { "A.outbox": "B.inbox" } }, /graph\.links: .*names a child "B" that does not exist/);
    bad({ type: "Graphline", links: { "A.outbox": 7 } }, /graph\.links\["A\.outbox"\] must be a string/);
    bad({ type: "Graphline", colour: "red" }, /graph: unknown field "colour"/);
    bad({ kamaelia: "graph", version: 2, type: "Graphline" }, /version 2 is not supported/);
    bad({ type: "Counter", components: {} }, /only a Graphline, Pipeline or System lists components/);
  });

  it("a registry refuses a type registered twice", () => {
    assert.throws(() => registry().add(Counter), /a component type "Counter" is already registered/);
  });
});
