/**
 * Files: read a file as lines or chunks (paced if asked), write one, follow
 * one as it grows (`tail -f`), watch a directory for new files, and filter
 * lines with Grep.
 *
 * @module
 */
export { FileError } from "./errors.js";
export { LineDecoder, type DecodedLine } from "./lineDecoder.js";
export { ReadFileAdaptor, type ReadFileOptions, type ReadMode } from "./readFileAdaptor.js";
export { SimpleFileWriter, type FileWriterOptions } from "./simpleFileWriter.js";
export { Follow, type FollowOptions } from "./follow.js";
export { DirectoryWatcher, type DirectoryWatcherOptions } from "./directoryWatcher.js";
export { Grep } from "./grep.js";
