/** Base class for errors that carry an HTTP status and a message written for people. */
export class HatchError extends Error {
  readonly status: number = 500;
  constructor(message: string) {
    super(message);
    this.name = "HatchError";
  }
}

/** The request is malformed or fails validation (400). */
export class BadRequestError extends HatchError {
  override readonly status = 400;
  override name = "BadRequestError";
}

/** No credential, or a bad one (401); pages redirect to the login instead. */
export class UnauthorizedError extends HatchError {
  override readonly status = 401;
  override name = "UnauthorizedError";
}

/** Too many requests: the answer carries Retry-After (429). */
export class TooManyRequestsError extends HatchError {
  override readonly status = 429;
  override name = "TooManyRequestsError";
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/** The caller may not do this: a bad webhook signature or secret (403). */
export class ForbiddenError extends HatchError {
  override readonly status = 403;
  override name = "ForbiddenError";
}

/** The thing asked for does not exist (404). */
export class NotFoundError extends HatchError {
  override readonly status = 404;
  override name = "NotFoundError";
}

/** The request conflicts with work in progress (409). */
export class ConflictError extends HatchError {
  override readonly status = 409;
  override name = "ConflictError";
}

/** The request is well formed but cannot be processed (422). */
export class UnprocessableError extends HatchError {
  override readonly status = 422;
  override name = "UnprocessableError";
}

/** The body is larger than allowed (413). */
export class PayloadTooLargeError extends HatchError {
  override readonly status = 413;
  override name = "PayloadTooLargeError";
}

/** A setting is missing or invalid; stops the start with one line naming it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The database could not be reached or did not answer in time (503, with Retry-After). */
export class DatabaseUnavailableError extends HatchError {
  override readonly status = 503;
  override name = "DatabaseUnavailableError";
  readonly retryAfterSeconds = 5;
  constructor(detail: string) {
    super(`The database is unavailable, try again shortly: ${detail}`);
  }
}
