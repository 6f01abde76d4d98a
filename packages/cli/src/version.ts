/** supagate's version, reported in every output and part of every cache key. */
export const VERSION = '0.1.0';
