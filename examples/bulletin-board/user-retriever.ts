/**
 * UserRetriever: the bulletin board's phase that loads the user's saved state.
 *
 * @module
 */
import type { Wait } from "../../src/index.js";
import { BoardStage } from "./stage.js";

/**
 * Second phase: loads the logged-in user's saved state (their read
 * position) into the shared state, lists them as online, and greets them
 * with what is new. Does nothing if login failed.
 */
export class UserRetriever extends BoardStage {
  protected *phase(): Wait {
    const user = this.state.user;
    if (user === null) return;
    const w = yield* this.ask("retrieve", { session: this.state });
    const where = w.lastRead > 0 ? ` (you had read up to #${w.lastRead})` : "";
    const back = w.lastLogin === null ? "" : ` Last login: ${w.lastLogin}.`;
    yield* this.say(
      `Hello ${user}. ${w.total} message${w.total === 1 ? "" : "s"} on the board, ${w.unread} new${where}.${back}`,
      "Type help for the commands.",
    );
  }
}
