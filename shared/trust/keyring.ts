// Signing keys that rotate without a moment of failed checks: sign with the newest key, accept every key held.
export interface Keyring {
  sign: string;
  verify: readonly string[];
}

/** A plain secret, or a keyring while it rotates. */
export type Keys = string | Keyring;

/**
 * `current` is the secret in force; `next` is set first on every Worker during a rotation
 * (`npm run secrets -- rotate <NAME>`): from then on values are signed with `next` and both are accepted, so a
 * value signed moments ago with the old key still verifies. Finishing the rotation makes `next` the current key.
 */
export function keyring(current: string, next?: string | null): Keyring {
  return next ? { sign: next, verify: [next, current] } : { sign: current, verify: [current] };
}

export const asKeyring = (keys: Keys): Keyring => (typeof keys === "string" ? keyring(keys) : keys);
