import { createSocket, type Socket } from "node:dgram";
import { readFileSync } from "node:fs";
import { Component } from "./component.js";

/** Sends each line of a file, one line each time it runs. */
export class FileReader extends Component {
  private readonly lines: string[];

  constructor(filename: string) {
    super();
    this.lines = readFileSync(filename, "utf8").split(/(?<=\n)/);
  }

  override *main(): Generator<unknown> {
    yield 1;
    for (const line of this.lines) {
      this.send(line, "outbox");
      yield 1;
    }
  }
}

/** Sends whatever arrives in its inbox as a UDP datagram to daddr:dport. */
export class UDPSender extends Component {
  readonly sock: Socket = createSocket("udp4");

  constructor(
    private readonly daddr: string,
    private readonly dport: number,
  ) {
    super();
  }

  override *main(): Generator<unknown> {
    while (true) {
      if (this.dataReady("inbox")) {
        const data = this.recv("inbox") as string;
        this.sock.send(data, this.dport, this.daddr);
      }
      yield 1;
    }
  }
}

/** Receives UDP datagrams on a port and sends each one out of its outbox. */
export class UDPReceiver extends Component {
  readonly sock: Socket = createSocket("udp4");
  private readonly arrived: string[] = [];

  constructor() {
    super();
    // Node calls this from its event loop, between our scheduler's loops.
    this.sock.on("message", (data) => this.arrived.push(data.toString()));
  }

  override *main(): Generator<unknown> {
    while (true) {
      while (this.arrived.length > 0) this.send(this.arrived.shift(), "outbox");
      yield 1;
    }
  }
}

/** Prints what arrives, and counts it. */
export class Writer extends Component {
  received = 0;

  override *main(): Generator<unknown> {
    while (true) {
      yield 1;
      if (this.dataReady("inbox")) {
        process.stdout.write(`received: ${this.recv("inbox") as string}`);
        this.received++;
      }
    }
  }
}
