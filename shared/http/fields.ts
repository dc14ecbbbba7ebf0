// Field schemas every boundary uses: ids that fit Postgres' integer, slugs, and text without control characters.
import { z } from "zod";

/** Postgres `integer`: a larger id can only be a bad request, never a row. */
export const MAX_INT4 = 2_147_483_647;

/** A positive integer id, written plainly ("12"; not "1e3", "0x10", "-1" or "12abc"). */
export const id = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, "must be a whole number from 1")
  .transform(Number)
  .pipe(z.number().max(MAX_INT4, `must be at most ${MAX_INT4}`));

/** The same, for JSON bodies that send numbers. */
export const idNumber = z.number().int().min(1).max(MAX_INT4);

/** URL slugs as the site makes them. */
export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, "is not a known address");

// C0 controls except tab, newline and carriage return, plus DEL: Postgres refuses NUL in text outright.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Free text a person typed: trimmed, bounded, no control characters. */
export function plainText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), "must not contain control characters");
}
