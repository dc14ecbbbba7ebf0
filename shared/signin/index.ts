// Passwordless sign-in by one-time code: codes, their policy and email, the job that sends them, the Postgres store.
export { CODE_DIGITS, codeHash, newCode, normaliseCode } from "./code.ts";
export { type SendCodeServices, sendCode, sendCodeSpec } from "./job.ts";
export { codeEmail } from "./mail.ts";
export {
  type Challenge,
  judge,
  PURPOSES,
  type Purpose,
  SIGN_IN,
  type Verdict,
  verdictMessage,
} from "./policy.ts";
export {
  countWrongGuess,
  endSession,
  type NewChallenge,
  newestChallenge,
  type SignedIn,
  type StoredChallenge,
  signInWithCode,
  stageChallenge,
  useUserCode,
} from "./store.ts";
