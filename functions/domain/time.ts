// Epoch milliseconds in the database, ISO 8601 strings on the wire.
export const isoTime = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());
