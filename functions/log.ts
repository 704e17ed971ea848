import { DrizzleQueryError } from 'drizzle-orm';

// Errors reach the log as one JSON line that says what failed and why, all
// the way down the cause chain (a refused connection, Turso's 401), and
// never the statement parameters: drizzle puts them in its own message, and
// they hold what people typed (emails, names).
export type ErrorSummary = {
  name: string;
  message: string;
  code?: string;
  // The statement's SQL text; its values are bound parameters, left out.
  query?: string;
  cause?: ErrorSummary;
};

const MAX_DEPTH = 5;

export function describeError(error: unknown, depth = 0): ErrorSummary {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) };
  const code = (error as { code?: unknown }).code;
  const summary: ErrorSummary =
    error instanceof DrizzleQueryError
      ? { name: 'DrizzleQueryError', message: 'Failed query', query: error.query }
      : { name: error.name, message: error.message };
  if (typeof code === 'string') summary.code = code;
  if (error.cause !== undefined && depth < MAX_DEPTH) summary.cause = describeError(error.cause, depth + 1);
  return summary;
}

// Stack frames only: the first line of a stack repeats the message, which
// for a failed query carries its parameters.
function frames(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  return error.stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 10)
    .map((line) => line.trim());
}

export function logError(fields: Record<string, unknown>, error: unknown): void {
  console.error(JSON.stringify({ level: 'error', ...fields, error: describeError(error), stack: frames(error) }));
}

// A line worth finding later (a refused webhook, and why), not an error.
export function logInfo(fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ level: 'info', ...fields }));
}
