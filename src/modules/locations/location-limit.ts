/**
 * The locations a caller may see (API.md §3, location-limited API keys): location ids, or null / undefined for
 * every location. Reads and use cases take it next to the org and filter in their queries, so a limited key's
 * lists leave other locations' rows out (pages stay full) and their ids answer the same 404 as unknown ones.
 */
export type LocationLimit = readonly string[] | null | undefined;

/** Whether the limit lets the caller see this location. */
export const withinLimit = (limit: LocationLimit, locationId: string): boolean => !limit || limit.includes(locationId);
