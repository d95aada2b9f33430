export declare const NARROW_RANGES: ReadonlyArray<readonly [number, number]>;
export declare function isAllNarrowSource(name: string): string;
export declare function segmentsSource(name: string): string;
