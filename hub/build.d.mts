export declare const hubDir: string;
export declare const distDir: string;
/** Why the Hub needs building, or null when hub/dist is current. */
export declare function hubBuildNeeded(): 'missing' | 'stale' | null;
/** Runs `vite build` when needed (or forced); throws if the build fails. */
export declare function ensureHubBuilt(opts?: { force?: boolean; log?: (line: string) => void }): { built: boolean; ms?: number };
export declare const bookDir: string;
export declare const bookDistDir: string;
/** Runs `vite build` for the booking page when needed (or forced); throws if the build fails. */
export declare function ensureBookBuilt(opts?: { force?: boolean; log?: (line: string) => void }): { built: boolean; ms?: number };
