// Field schemas every boundary uses: ids that fit Postgres' integer, slugs, and text without control characters.
import * as z from "zod/mini";

/** Postgres `integer`: a larger id can only be a bad request, never a row. */
export const MAX_INT4 = 2_147_483_647;

/** A positive integer id, written plainly ("12"; not "1e3", "0x10", "-1" or "12abc"). */
export const id = z.pipe(
  z.string().check(z.regex(/^[1-9][0-9]{0,9}$/, "must be a whole number from 1")),
  z.pipe(
    z.transform((s: string) => Number(s)),
    z.number().check(z.lte(MAX_INT4, `must be at most ${MAX_INT4}`)),
  ),
);

/** The same, for JSON bodies that send numbers. */
export const idNumber = z.number().check(z.int(), z.gte(1), z.lte(MAX_INT4));

/** URL slugs as the site makes them. */
export const slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,99}$/, "is not a known address"));

// C0 controls except tab, newline and carriage return, plus DEL: Postgres refuses NUL in text outright.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Free text a person typed: trimmed, bounded, no control characters. */
export function plainText(max: number) {
  return z.string().check(
    z.trim(),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((s) => !CONTROL.test(s), "must not contain control characters"),
  );
}

/** An email address as people type it: trimmed and lower-cased before it is checked. */
export const emailAddress = z
  .string()
  .check(z.trim(), z.toLowerCase(), z.maxLength(200), z.email("must be an email address"));

/** Plain text that must not be empty. */
export function requiredText(max: number) {
  return plainText(max).check(z.minLength(1, "is required"));
}
