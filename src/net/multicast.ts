/**
 * Multicast: a UDP sender to a group, and a receiver that joins one.
 *
 * @module
 */
import { isIPv4 } from "node:net";
import type { Socket as DgramSocket } from "node:dgram";
import { NetError } from "./errors.js";
import { UDPReceiver } from "./udp-receiver.js";
import { UDPSender } from "./udp-sender.js";

function checkGroup(component: string, group: string): void {
  const first = Number(group.split(".")[0]);
  if (!isIPv4(group) || first < 224 || first > 239) {
    throw new NetError("BAD_SETTING", `${component}: "${group}" is not an IPv4 multicast group (224.0.0.0 to 239.255.255.255)`);
  }
}

/**
 * Sends each message as one datagram to the multicast group `host:port`
 * (Kamaelia's `Multicast_sender`), from the interface `localAddress`
 * (127.0.0.1 unless told otherwise, so a test stays on this machine), with
 * TTL `ttl` and loopback on, so receivers on this machine hear it. Boxes and
 * error handling as {@link UDPSender}; a `host` that is not a multicast group
 * makes it fail with a NetError (`BAD_SETTING`).
 */
export class MulticastSender extends UDPSender {
  /** The multicast group. */
  override host = "239.255.42.99";
  /** Hops a datagram may travel (1: this network only). */
  ttl = 1;
  /** Deliver to receivers on this machine too. */
  loopback = true;

  protected override configure(socket: DgramSocket): void {
    checkGroup(this.name, this.host);
    socket.setMulticastInterface(this.localAddress);
    socket.setMulticastTTL(this.ttl);
    socket.setMulticastLoopback(this.loopback);
  }
}

/**
 * Joins the multicast group `group` on the interface `interfaceAddress`
 * (127.0.0.1 unless told otherwise) and sends out each datagram received on
 * `port` (Kamaelia's `Multicast_receiver`). It binds `host` (0.0.0.0 by
 * default, as multicast needs) with the address reusable, so several
 * receivers on one machine can share the port. Boxes, backpressure and
 * errors as {@link UDPReceiver}; a `group` that is not a multicast group makes
 * it fail with a NetError (`BAD_SETTING`).
 */
export class MulticastReceiver extends UDPReceiver {
  /** The multicast group to join. */
  group = "239.255.42.99";
  /** The local interface to join it on. */
  interfaceAddress = "127.0.0.1";
  override host = "0.0.0.0";
  override reuseAddr = true;

  protected override configure(socket: DgramSocket): void {
    checkGroup(this.name, this.group);
    socket.addMembership(this.group, this.interfaceAddress);
  }
}
