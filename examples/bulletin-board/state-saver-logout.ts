/**
 * StateSaverLogout: the bulletin board's last phase.
 *
 * @module
 */
import type { Wait } from "../../src/index.js";
import { BoardStage } from "./stage.js";

/**
 * Last phase: saves the user's state (their read position) through the
 * store and takes them off the online list. It runs however the board phase
 * ended: `quit`, or the client disconnecting mid-session (the Seq still runs
 * every phase once input has ended). Does nothing if login failed.
 */
export class StateSaverLogout extends BoardStage {
  protected *phase(): Wait {
    if (this.state.user === null || !this.state.online) return;
    yield* this.ask("logout", { session: this.state });
  }
}
