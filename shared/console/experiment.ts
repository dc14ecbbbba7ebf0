// An experiment's table from counts per variant: rates, the difference to the control with its interval, the SRM check.
import type { FlagDoc } from "../flags/index.ts";
import { type Comparison, compareProportions, type SampleRatio, sampleRatio } from "./stats.ts";

/** What Postgres counted for one variant: distinct visitors exposed, and those of them who converted after. */
export interface VariantCounts {
  variant: string;
  exposed: number;
  converted: number;
}

export interface VariantRow extends VariantCounts {
  rate: number;
  /** Configured weight (share of traffic), null for a variant no longer configured. */
  weight: number | null;
  /** Against the control; null on the control's own row. */
  vsControl: Comparison | null;
}

export interface ExperimentTable {
  control: string;
  rows: VariantRow[];
  srm: SampleRatio | null;
  exposed: number;
}

/**
 * The control is the flag's first configured variant (the CLI's `--variants control:50,bold:50` order). Variants
 * that were exposed but are no longer configured still get a row, after the configured ones, and no weight.
 */
export function experimentTable(
  doc: Pick<FlagDoc, "variants">,
  counts: readonly VariantCounts[],
): ExperimentTable {
  const configured = doc.variants ?? [];
  const byName = new Map(counts.map((c) => [c.variant, c]));
  const names = [
    ...configured.map((v) => v.name),
    ...counts.map((c) => c.variant).filter((n) => !configured.some((v) => v.name === n)),
  ];
  const control = names[0] ?? "control";
  const controlCounts = byName.get(control) ?? { variant: control, exposed: 0, converted: 0 };
  const rows = names.map((variant): VariantRow => {
    const c = byName.get(variant) ?? { variant, exposed: 0, converted: 0 };
    return {
      ...c,
      rate: c.exposed > 0 ? c.converted / c.exposed : 0,
      weight: configured.find((v) => v.name === variant)?.weight ?? null,
      vsControl:
        variant === control
          ? null
          : compareProportions(
              { n: controlCounts.exposed, x: controlCounts.converted },
              { n: c.exposed, x: c.converted },
            ),
    };
  });
  // The ratio is checked over the configured variants only: their weights are what the split promised.
  const weighted = rows.filter((r) => r.weight !== null);
  const srm = sampleRatio(
    weighted.map((r) => r.exposed),
    weighted.map((r) => r.weight ?? 0),
  );
  return { control, rows, srm, exposed: rows.reduce((n, r) => n + r.exposed, 0) };
}

/** "+3.0 pp", "−1.2 pp": a rate difference in percentage points, signed. */
export function percentagePoints(d: number): string {
  if (!Number.isFinite(d)) return "–";
  const s = (Math.abs(d) * 100).toFixed(1);
  return `${d < 0 ? "−" : "+"}${s} pp`;
}

/** "12.5 %". */
export function percent(r: number): string {
  return `${(r * 100).toFixed(1)} %`;
}

/** "0.036", "< 0.001", "–" when it cannot be computed. */
export function pValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return "–";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}
