/**
 * Seeing inside a running system: the Introspector's protocol, graph export
 * and import, taps and meters, tracing and replay, the web visualiser and the
 * console. Subpath export `kamaelia/introspect`.
 *
 * @module
 */
export * from "./protocol.js";
export { componentState, describeBox, describeComponent, describeLink, linkId, ownNames, preview, settingsOf, treeOrder, type ComponentNames, type SettingValue } from "./describe.js";
export { SystemNames } from "./names.js";
export { count, counterOf, tap, untap, isTapped, setTapErrorHandler, type BoxCounter, type TapFn } from "./tap.js";
export { Meter } from "./meter.js";
export { exportGraph, toDot, toMermaid, namedChildren, type GraphDocument, type GraphNode } from "./graph.js";
export { GraphError, Registry, graphlineFromJSON, type Creatable, type Factory } from "./graph-import.js";
export { Introspector, Watch, type IntrospectorOptions, type WatchOptions, type Watcher } from "./introspector.js";
export { VisualiserError, startVisualiser, type Visualiser, type VisualiserOptions } from "./visualiser.js";
export { Tracer, TraceError, decode, encode, parseTrace, replay, type Encoded, type Recording, type ReplayOptions, type TraceRecord } from "./trace.js";
export { tapPassing } from "./trace.js";
export { ConsoleError, consoleHelpers, startLocalConsole, startNetworkConsole, type ConsoleOptions, type NetworkConsole, type NetworkConsoleOptions } from "./console.js";
export { CHANNELS, debugPrinter, debugSelects, installDiagnostics } from "./diagnostics.js";
