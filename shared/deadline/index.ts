// Deadlines: work that must settle within a time, else it is abandoned (and aborted when it can be) with an error.
export class DeadlineError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = "DeadlineError";
  }
}

export type DeadlineOptions = {
  /** The error to reject with; a DeadlineError by default. */
  error?: () => Error;
  /** Aborted with that error when the time is up, so a fetch stops too. */
  controller?: AbortController;
};

/**
 * Resolves or rejects as `work` does if it settles within `ms`, else rejects. Pass a function to get an
 * AbortSignal that fires at the deadline. `ms` ≤ 0 means the deadline has passed already; Infinity means none.
 */
export function withTimeout<T>(
  work: Promise<T> | ((signal: AbortSignal) => Promise<T>),
  ms: number,
  opts: DeadlineOptions = {},
): Promise<T> {
  const controller = opts.controller ?? (typeof work === "function" ? new AbortController() : undefined);
  const error = () => opts.error?.() ?? new DeadlineError("work", ms);
  if (ms === Number.POSITIVE_INFINITY) {
    return typeof work === "function" ? work(controller?.signal ?? new AbortController().signal) : work;
  }
  if (!(ms > 0)) {
    const e = error();
    controller?.abort(e);
    return Promise.reject(e);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = error();
      controller?.abort(e);
      reject(e);
    }, ms);
  });
  const promise = typeof work === "function" ? work((controller as AbortController).signal) : work;
  // An abandoned promise may still reject later: that is expected, never an unhandled rejection.
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
