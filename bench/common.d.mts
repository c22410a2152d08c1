/** Types for common.mjs, so the project's workloads (peers/kamaelia.ts) type-check strictly. */
export declare const PARAMS: Record<"full" | "quick", Record<string, Record<string, number>>>;
export declare const WORKLOADS: Record<string, { title: string; unit: string }>;
export declare function makeRandom(seed?: number): () => number;
export declare function otherPlayer(rand: () => number, self: number, players: number): number;
export declare function spin(units: number): number;
export declare function rssMeter(): { sample(): void; result(): { baseRssMB: number; peakRssMB: number } };
export declare const W6_RSS_GROWTH_LIMIT_MB: number;
export declare function measureFootprint<H>(
  units: number,
  create: (units: number) => H | Promise<H>,
  poke: (handle: H) => number | Promise<number>,
): Promise<{ ms: number; bytesPerUnit: number; nsPerUnit: number; delivered: number }>;
export declare function expectedHackysack(p: { players: number; hits: number }): { finalPlayer: number; checksum: number };
export declare function checksum(received: ArrayLike<number>): number;
export declare function operations(w: string, p: Record<string, number>): number;
export declare function verify(w: string, p: Record<string, number>, r: Record<string, unknown>): void;
/** A full garbage collection before the measured phase, when `--expose-gc` is on (see common.mjs). */
export declare function settle(): void;
