type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * One row of a service's error table: the error class, and its HTTP status or how to read the status off the error
 * (annotate the parameter with the class, e.g. `(error: RegistryRelayError) => error.upstreamStatus`).
 */
export type HttpErrorEntry = readonly [ErrorClass, number | ((error: never) => number)];

/**
 * How a service answers its domain errors over HTTP, in one place (`src/http-errors.ts` of each app), so domain
 * errors carry no HTTP status of their own. The first row whose class the error is an instance of wins; an error
 * no row names is a 500.
 */
export type HttpErrorTable = readonly HttpErrorEntry[];

/** The status the table gives the error, or undefined when no row names its class. */
export function httpStatusOf(table: HttpErrorTable, error: unknown): number | undefined {
  const row = table.find(([errorClass]) => error instanceof errorClass);
  if (!row) return undefined;
  const [, status] = row;
  return typeof status === 'number' ? status : status(error as never);
}
