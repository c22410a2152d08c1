/**
 * Kamaelia.Util: transformers, routing, sources and sinks, and console
 * components, each following the shared shutdown convention.
 *
 * @module
 */
export { ArgumentError, MessageError } from "./errors.js";
export { PassThrough } from "./pass-through.js";
export { PureTransformer, PureTransformerComponent } from "./pure-transformer.js";
export { StatefulTransformer, StatefulTransformerComponent, type Step } from "./stateful-transformer.js";
export { Filter, FilterComponent } from "./filter.js";
export { Router, RouterComponent, type RouterOptions } from "./router.js";
export { Fanout, FanoutComponent } from "./fanout.js";
export type { WithOutboxes } from "./named-outboxes.js";
export { Splitter, AddSink, RemoveSink } from "./splitter.js";
export { TwoWaySplitter } from "./two-way-splitter.js";
export { Collate } from "./collate.js";
export { Chunk } from "./chunk.js";
export { MessageRateLimit } from "./message-rate-limit.js";
export { Marshaller, DeMarshaller, JsonCodec, type Codec } from "./marshalling.js";
export { DataSource, DataSourceComponent } from "./data-source.js";
export { NullSink } from "./null-sink.js";
export { Clock } from "./clock.js";
export { OneShot, TriggeredOneShot } from "./one-shot.js";
export { Chooser, type ChooserCommand } from "./chooser.js";
export { ConsoleReader, type ConsoleReaderOptions } from "./console-reader.js";
export { ConsoleEchoer, type ConsoleEchoerOptions } from "./console-echoer.js";
export { sleepOrControl } from "./sleep-or-control.js";
