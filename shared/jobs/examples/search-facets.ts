// Example job: bring the search facet sets in Redis in line with the database after a write (a registration,
// a talk's topics). It reads the state as committed and writes it whole, so repeats and reordering are harmless.
import { z } from "zod";
import { MAX_INT4 } from "../../http/fields.ts";
import { type FacetSet, moveMember, replaceSets, type SetWriter } from "../../search/index.ts";
import { defineJob, type JobContext } from "../registry.ts";

/** Where a document belongs now: the sets it is in and the ones it is not (every set of the facet named). */
export type FacetMove = { member: string; into: string[]; outOf: string[] };

/** Reads the facets' truth from the database (see shared/search/examples). */
export type FacetTruth = {
  /** The whole "registered for" sets of the users with this email. */
  userSets(email: string): Promise<FacetSet[]>;
  /** The topic sets a talk and its event belong in now. */
  talkTopicMoves(talkId: number): Promise<FacetMove[]>;
};

export type SearchFacetsServices = {
  facetTruth: FacetTruth;
  /** null when the site has no Redis: there are no sets to keep, and search filters facets in SQL. */
  facetSets: SetWriter | null;
};

export const searchFacetsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("user"), email: z.email().max(200) }),
  z.object({ kind: z.literal("talk"), talkId: z.number().int().min(1).max(MAX_INT4) }),
]);

/** One job per registration (a retried post stages it once), like its confirmation. */
export async function userFacetsJobId(eventSlug: string, email: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`facets\n${eventSlug}\n${email}`),
  );
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `search-user:${hex}`;
}

export const searchFacets = defineJob({
  name: "search-facets",
  schema: searchFacetsSchema,
  retry: { maxAttempts: 8, baseDelaySeconds: 2, maxDelaySeconds: 300 },
  // Redis only: it may run while the site is read-only.
  writes: false,
  handler: async (p, ctx: JobContext<SearchFacetsServices>) => {
    const { facetTruth, facetSets: redis } = ctx.services;
    if (!redis) return;
    if (p.kind === "user") {
      await replaceSets(redis, await facetTruth.userSets(p.email));
      return;
    }
    for (const m of await facetTruth.talkTopicMoves(p.talkId))
      await moveMember(redis, m.member, m.into, m.outOf);
  },
});
