// Who the commands act as: wrangler's login (an API token in CI), and the one account to use.
import { type Context, UserError } from "./context.ts";
import { whoami } from "./wrangler-output.ts";

/** The account id; refuses clearly when wrangler is not logged in or cannot tell which account to use. */
export async function requireLogin(ctx: Context): Promise<string> {
  const r = await ctx.wrangler.run(["whoami", "--json"], { quiet: true });
  const who = whoami(r.stdout);
  if (!who.loggedIn) {
    throw new UserError(
      "wrangler is not logged in to Cloudflare: run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN " +
        "(a token with Workers Scripts, KV, R2 and Queues edit rights) and CLOUDFLARE_ACCOUNT_ID",
    );
  }
  const chosen = ctx.env.CLOUDFLARE_ACCOUNT_ID;
  if (chosen) return chosen;
  const [only, ...others] = who.accounts;
  if (!only) throw new UserError("the Cloudflare login has no account");
  if (others.length > 0) {
    throw new UserError(
      `the login can use several accounts; set CLOUDFLARE_ACCOUNT_ID to one of: ${who.accounts
        .map((a) => `${a.id} (${a.name})`)
        .join(", ")}`,
    );
  }
  return only.id;
}
