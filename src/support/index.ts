/**
 * The low shared layer: helpers that several libraries need (file, util,
 * net, interop, chassis all may import it), so that no library folder
 * imports another. It stands on the core and imports nothing else.
 *
 * - {@link LineDecoder}: byte chunks to UTF-8 lines, with invalid lines reported, not lost.
 * - {@link Wakeup}: a latched wake-up for async components waiting on outside events.
 *
 * Both are also exported by the folders that first had them (`kamaelia`'s
 * file and interop exports), so nothing public moved.
 *
 * @module
 */
export { LineDecoder, type DecodedLine } from "./line-decoder.js";
export { Wakeup } from "./wakeup.js";
