/**
 * Kamaelia.Util: transformers, routing, sources and sinks, and console
 * components, each following the shared shutdown convention.
 *
 * @module
 */
export { ArgumentError, MessageError } from "./errors.js";
export { PassThrough } from "./passThrough.js";
export { PureTransformer, PureTransformerComponent } from "./pureTransformer.js";
export { StatefulTransformer, StatefulTransformerComponent, type Step } from "./statefulTransformer.js";
export { Filter, FilterComponent } from "./filter.js";
export { Router, RouterComponent, type RouterOptions } from "./router.js";
export { Fanout, FanoutComponent } from "./fanout.js";
export type { WithOutboxes } from "./namedOutboxes.js";
export { Splitter, AddSink, RemoveSink } from "./splitter.js";
export { TwoWaySplitter } from "./twoWaySplitter.js";
export { Collate } from "./collate.js";
export { Chunk } from "./chunk.js";
export { MessageRateLimit } from "./messageRateLimit.js";
export { Marshaller, DeMarshaller, JsonCodec, type Codec } from "./marshalling.js";
export { DataSource, DataSourceComponent } from "./dataSource.js";
export { NullSink } from "./nullSink.js";
export { Clock } from "./clock.js";
export { OneShot, TriggeredOneShot } from "./oneShot.js";
export { Chooser, type ChooserCommand } from "./chooser.js";
export { ConsoleReader, type ConsoleReaderOptions } from "./consoleReader.js";
export { ConsoleEchoer, type ConsoleEchoerOptions } from "./consoleEchoer.js";
export { sleepOrControl } from "./sleepOrControl.js";
