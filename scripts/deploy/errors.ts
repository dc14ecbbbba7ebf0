// A refusal or failure the person can act on: printed as one clear message, exit code 1, no stack trace.
export class UserError extends Error {}
