// HTTP at the boundary: path normalisation, body validation, negotiation, and the one error path.
export { adminAuth } from "./admin-auth.ts";
export { parseBody, parseParams, parseQuery, wantsJson } from "./body.ts";
export { BodyTooLarge, readBounded } from "./body-limit.ts";
export { notFound, onError } from "./errors.ts";
export { emailAddress, id, idNumber, MAX_INT4, plainText, requiredText, slug } from "./fields.ts";
export { describeRetry, escapeHtml, prefersHtml } from "./negotiate.ts";
export { canonicalPath, type PathCheck } from "./path.ts";
export { type Problem, problemPage, problemResponse } from "./problem.ts";
