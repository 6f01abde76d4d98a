/** A problem with how supagate was called or configured: exit code 2, one line, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
