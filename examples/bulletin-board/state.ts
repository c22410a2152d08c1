/**
 * The state one connection's Seq stages share (Kamaelia's `State` dict).
 *
 * @module
 */
import type { ErrorInformation } from "../../src/index.js";
import type { ConnectionInfo } from "../../src/net/index.js";

/**
 * What the stages of one connection know about it: filled in by the
 * Authenticator (who), the UserRetriever (where they had read up to), kept up
 * to date by the MessageBoardUI, and saved by StateSaverLogout.
 */
export class BoardState {
  /** The logged-in user, or null until (and unless) login succeeds. */
  user: string | null = null;
  /** Whether this login registered the user. */
  registered = false;
  /** The highest message number this user has read. */
  lastRead = 0;
  /** Whether the store has this session on its list of who is online. */
  online = false;
  /**
   * Input a stage received but had not read when it ended (a client typing
   * ahead), for the next stage to read first: a Seq hands each stage the next
   * message as soon as it takes one, so without this it would be lost.
   */
  readonly pending: (string | ErrorInformation)[] = [];

  constructor(
    /** Where the connection runs between. */
    readonly info: ConnectionInfo,
  ) {}
}
