// Seq runs components one after another, each in turn reading the Seq's
// inbox and writing its outbox; a string between them is sent out as it
// comes (the mobile reframer's "Processing edits..."). Here is the
// bulletin board's protocol from the slides: phases that share one state
// object. examples/bulletin-board.ts is the full server.
import { Component, ConsoleEchoer, DataSource, Pipeline, Seq } from "../../../src/index.js";

interface ConnectionInfo {
  user?: string;
  posts: string[];
}

class Authenticator extends Component<string, string> {
  constructor(readonly state: ConnectionInfo) {
    super();
  }
  *main() {
    this.state.user = yield* this.waitRecv(); // one line: the user's name
    this.send(`welcome, ${this.state.user}`);
  }
}

class MessageBoardUI extends Component<string, string> {
  constructor(readonly state: ConnectionInfo) {
    super();
  }
  *main() {
    yield* this.processMessages((post) => {
      this.state.posts.push(post);
      this.send(`${this.state.user} posted: ${post}`);
    });
  }
}

class StateSaverLogout extends Component<string, string> {
  constructor(readonly state: ConnectionInfo) {
    super();
  }
  *main() {
    this.send(`saved ${this.state.posts.length} posts for ${this.state.user}; bye`);
  }
}

function CompositeBulletinBoardProtocol() {
  const state: ConnectionInfo = { posts: [] };
  return Seq(
    "login:",
    new Authenticator(state),
    new MessageBoardUI(state),
    "logging out...",
    new StateSaverLogout(state),
  );
}

// What a user typed, all at once: input typed ahead is kept for the next phase.
await Pipeline(
  DataSource("alice", "hello, world", "anyone here?"),
  CompositeBulletinBoardProtocol(),
  new ConsoleEchoer({ eol: "\n" }),
).run();
