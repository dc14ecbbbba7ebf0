// HTTP at the boundary: path normalisation, body validation, negotiation, and the one error path.
export { parseBody, wantsJson } from "./body.ts";
export { BodyTooLarge, readBounded } from "./body-limit.ts";
export { notFound, onError } from "./errors.ts";
export { describeRetry, escapeHtml, prefersHtml } from "./negotiate.ts";
export { canonicalPath, type PathCheck } from "./path.ts";
export { type Problem, problemPage, problemResponse } from "./problem.ts";
