// Example job: bring the search facet sets in Redis in line with the database after a write (a registration,
// a talk's topics). It reads the state as committed and writes it whole, so repeats and reordering are harmless.
import { type FacetSet, moveMember, replaceSets, type SetWriter } from "../../search/index.ts";
import { defineJob, type JobContext } from "../registry.ts";
import { searchFacetsSpec } from "./specs.ts";

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

export const searchFacets = defineJob({
  ...searchFacetsSpec,
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
