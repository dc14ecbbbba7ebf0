// Rotating a shared secret with one command. A signing key (EDGE_SECRET) goes through its keyring: every Worker
// first gets <NAME>_NEXT (signs with it, accepts both), then, once values signed with the old key have expired,
// <NAME> becomes the new key and <NAME>_NEXT goes. No request fails verification on the way.
import { readWorkers } from "./configs.ts";
import { type Context, step, UserError } from "./context.ts";
import { requireLogin } from "./login.ts";
import { secretsOf } from "./remote.ts";
import { GENERATED, generateSecret, KEYRING } from "./secret-plan.ts";
import { inOrder, refuseUnlessServingNewest, sendSecrets } from "./secret-send.ts";

/**
 * Values signed or keyed with EDGE_SECRET live at most: the pending sign-in cookie 15 min, a sign-in code's hash
 * 10 min, the read-your-writes cookie 60 s, the edge context 30 s. A rotation that dropped the old key sooner
 * would end sign-ins in flight; one minute more lets the secret change reach every location.
 */
export const ROTATION_GRACE_SECONDS = 16 * 60;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `graceSeconds` covers the longest-lived value signed with the old key plus the seconds a secret change takes to
 * reach every location: see ROTATION_GRACE_SECONDS.
 */
export async function rotate(ctx: Context, env: string, name: string, graceSeconds: number): Promise<void> {
  if (!GENERATED.includes(name)) {
    throw new UserError(
      `${name} is not a generated secret; rotatable: ${GENERATED.join(", ")} (set others with npm run secrets)`,
    );
  }
  // Verifiers before signers: a callee accepts the new key before its caller signs with it.
  const holders = inOrder(readWorkers(ctx.root, env)).filter((w) => w.secrets.includes(name));
  await requireLogin(ctx);
  const held = await Promise.all(holders.map((w) => secretsOf(ctx, w)));
  const lacking = holders.find((_, i) => !held[i]?.has(name));
  if (lacking)
    throw new UserError(`${name} is not set on ${lacking.name} yet: npm run secrets -- --env ${env}`);
  await refuseUnlessServingNewest(ctx, holders);
  const value = generateSecret();
  if (!KEYRING.includes(name)) {
    // A bearer token: compared, not signed. Every holder gets it; callers holding the old one get 401 until then.
    for (const w of holders) {
      step(ctx, "rotate", `${w.name}: ${name}`);
      await sendSecrets(ctx, w, { [name]: value });
    }
    ctx.log(`  ${name} = ${value}   (shown once: keep it in your password manager)`);
    step(ctx, "done", `${name} rotated on ${holders.map((w) => w.name).join(", ")}`);
    return;
  }
  const next = `${name}_NEXT`;
  for (const w of holders) {
    step(ctx, "rotate", `${w.name}: ${next} set (signs with the new key, accepts both)`);
    await sendSecrets(ctx, w, { [next]: value });
  }
  for (let left = graceSeconds; left > 0; left -= 30) {
    step(ctx, "rotate", `waiting ${left} s for values signed with the old key to expire`);
    await sleep(Math.min(30, left) * 1000);
  }
  for (const w of holders) {
    step(ctx, "rotate", `${w.name}: ${name} replaced, ${next} removed`);
    await sendSecrets(ctx, w, { [name]: value, [next]: null });
  }
  step(
    ctx,
    "done",
    `${name} rotated on ${holders.map((w) => w.name).join(", ")}; the old key is accepted nowhere`,
  );
}
