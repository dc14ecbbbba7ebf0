// The one statement behind the experiments page: exposures and conversions (registrations after exposure) per variant.
import { type SQL, sql } from "drizzle-orm";
import type { VariantCounts } from "../../../shared/console/index.ts";

export interface FlagCounts extends VariantCounts {
  flag: string;
  /** Exposures of visitors without an account: no registration can be traced back to them. */
  anonymous: number;
}

/**
 * A visitor counts once per flag (exposures has one row per flag and subject, with the variant first served).
 * Only signed-in subjects (a user id) can be followed to a registration, by the account's email: they are the
 * experiment's population; anonymous exposures are counted beside it. One round trip for every flag at once.
 */
export function experimentCountsSql(flags: readonly string[]): SQL {
  return sql`
    with exposed as (
      select e.flag, e.variant, e.first_seen, u.email
      from exposures e
      left join users u on u.id = case when e.subject ~ '^[0-9]{1,9}$' then e.subject::int end
      where e.flag in (${sql.join(
        flags.map((f) => sql`${f}`),
        sql`, `,
      )})
    ),
    registered as (
      select r.email, max(r.created_at) as last_at
      from registrations r
      where r.email in (select email from exposed where email is not null)
      group by r.email
    )
    select x.flag, x.variant,
      count(x.email)::int as exposed,
      (count(*) - count(x.email))::int as anonymous,
      (count(*) filter (where x.email is not null and g.last_at >= x.first_seen))::int as converted
    from exposed x left join registered g on g.email = x.email
    group by x.flag, x.variant
    order by x.flag, x.variant`;
}

export function toFlagCounts(rows: readonly Record<string, unknown>[]): FlagCounts[] {
  return rows.map((r) => ({
    flag: String(r.flag),
    variant: String(r.variant),
    exposed: Number(r.exposed),
    anonymous: Number(r.anonymous),
    converted: Number(r.converted),
  }));
}
