/**
 * Authenticator: the bulletin board's login phase.
 *
 * @module
 */
import type { Wait } from "../../src/index.js";
import { BoardStage } from "./stage.js";

/** What a username may look like: it names files' keys and appears in listings. */
export const USERNAME = /^[a-z0-9_-]{1,32}$/;

/**
 * First phase: asks for a username and a password and has the store check
 * them; a name never seen before is registered with that password. Failed
 * logins are limited per connection (`maxAttempts`) and, by the store, per
 * address (so reconnecting does not buy more guesses). Sets
 * `state.user` on success. After `maxAttempts` failures, or when the user
 * leaves, it ends with `state.user` still null, and the later phases do nothing.
 */
export class Authenticator extends BoardStage {
  /** Failed logins allowed before the connection is closed. */
  maxAttempts = 3;
  /** Longest password accepted, in characters (scrypt takes any length; this bounds the work). */
  maxPasswordLength = 1024;

  protected *phase(): Wait {
    yield* this.say("Welcome to the Kamaelia bulletin board. New here? Pick a username and password to register.");
    let failures = 0;
    while (failures < this.maxAttempts) {
      yield* this.say("Username:");
      const name = yield* this.nextLine();
      if (name === null) return;
      const user = name.trim().toLowerCase();
      if (!USERNAME.test(user)) {
        yield* this.say("A username is 1 to 32 letters, digits, '_' or '-'. Try again.");
        continue;
      }
      yield* this.say("Password:");
      const password = yield* this.nextLine();
      if (password === null) return;
      if (password.length === 0 || password.length > this.maxPasswordLength) {
        yield* this.say(`A password is 1 to ${this.maxPasswordLength} characters. Try again.`);
        continue;
      }
      const result = yield* this.ask("login", { user, password, address: this.state.info.peer });
      if (!result.ok && result.throttled !== undefined) {
        yield* this.say(`Too many failed logins from your address; try again in ${Math.ceil(result.throttled / 60)} minute(s). Goodbye.`);
        return;
      }
      if (result.ok) {
        this.state.user = user;
        this.state.registered = result.registered;
        if (result.registered) yield* this.say(`Registered new user ${user}.`);
        return;
      }
      failures++;
      yield* this.say("Login incorrect.");
    }
    yield* this.say(`Too many failed logins (${this.maxAttempts}); goodbye.`);
  }
}
