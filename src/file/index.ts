/**
 * Files: read a file as lines or chunks (paced if asked), write one, follow
 * one as it grows (`tail -f`), watch a directory for new files, and filter
 * lines with Grep.
 *
 * @module
 */
export { FileError } from "./errors.js";
export { LineDecoder, type DecodedLine } from "../support/line-decoder.js";
export { ReadFileAdaptor, type ReadFileOptions, type ReadMode } from "./read-file-adaptor.js";
export { SimpleFileWriter, type FileWriterOptions } from "./simple-file-writer.js";
export { Follow, type FollowOptions } from "./follow.js";
export { DirectoryWatcher, type DirectoryWatcherOptions } from "./directory-watcher.js";
export { Grep } from "./grep.js";
