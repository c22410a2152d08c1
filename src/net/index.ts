/**
 * Networking: TCP servers (ServerCore, one protocol component per
 * connection) and clients, framing (lines, length-prefixed frames, JSON),
 * UDP and multicast.
 *
 * @module
 */
export { ConnectedSocketAdapter } from "./connected-socket-adapter.js";
export { FramingError, NetError } from "./errors.js";
export { FramingComponent, type BadFramePolicy } from "./framing-component.js";
export { CloseConnection, SocketShutdown, type ConnectionInfo, type Datagram, type ServerEvent } from "./ipc.js";
export { JsonDeFramer, JsonFramer } from "./json-framing.js";
export { LengthPrefixDeFramer, LengthPrefixFramer } from "./length-prefix-framing.js";
export { LineDeFramer, LineFramer } from "./line-framing.js";
export { MulticastReceiver, MulticastSender } from "./multicast.js";
export { ServerCore, SimpleServer, type ProtocolFactory } from "./server-core.js";
export { TCPClient } from "./tcp-client.js";
export { TCPServer, type ListenAddress } from "./tcp-server.js";
export { UDPReceiver } from "./udp-receiver.js";
export { UDPSender } from "./udp-sender.js";
