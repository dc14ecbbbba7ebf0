// Console experiments page: for each flag with variants, who saw which and who converted, with the test explained.
import { Hono } from "hono";
import {
  type ExperimentTable,
  experimentTable,
  percent,
  percentagePoints,
  pValue,
  SRM_THRESHOLD,
} from "../../../shared/console/index.ts";
import type { FlagDoc } from "../../../shared/flags/index.ts";
import { isSegmentKey, pgFlagStore } from "../../../shared/flagstore/index.ts";
import type { ConsoleApp } from "./context.ts";
import { experimentCountsSql, type FlagCounts, toFlagCounts } from "./experiments-query.ts";
import { Wide } from "./layout.tsx";
import { page } from "./page.tsx";

function Experiment(props: { flag: string; doc: FlagDoc; table: ExperimentTable; anonymous: number }) {
  const { table } = props;
  return (
    <section class="experiment" data-experiment={props.flag}>
      <h2>
        <a href={`/admin/flags/${encodeURIComponent(props.flag)}`}>{props.flag}</a>{" "}
        <small>({props.doc.state})</small>
      </h2>
      {table.srm?.mismatch ? (
        <p class="console-error" role="alert" data-srm="mismatch">
          Sample ratio mismatch: the exposures do not follow the configured weights (p = {pValue(table.srm.p)}
          ). The split itself is broken (a bug, a cache serving one variant, bots), so the numbers below
          cannot be trusted.
        </p>
      ) : null}
      <Wide>
        <table class="experiment-table">
          <thead>
            <tr>
              <th>variant</th>
              <th>weight</th>
              <th>exposed</th>
              <th>converted</th>
              <th>rate</th>
              <th>vs {table.control}</th>
              <th>95 % interval</th>
              <th>p</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr data-variant={r.variant}>
                <td>{r.variant}</td>
                <td>{r.weight ?? "–"}</td>
                <td data-exposed>{r.exposed}</td>
                <td data-converted>{r.converted}</td>
                <td>{percent(r.rate)}</td>
                <td>{r.vsControl ? percentagePoints(r.vsControl.difference) : "control"}</td>
                <td>
                  {r.vsControl && Number.isFinite(r.vsControl.low)
                    ? `${percentagePoints(r.vsControl.low)} … ${percentagePoints(r.vsControl.high)}`
                    : "–"}
                </td>
                <td data-p>{r.vsControl ? pValue(r.vsControl.p) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Wide>
      <ul class="verdicts">
        {table.rows.flatMap((r) =>
          r.vsControl && Number.isFinite(r.vsControl.low)
            ? [
                <li data-verdict={r.variant}>
                  <strong>{r.variant}</strong> vs {table.control}: {percentagePoints(r.vsControl.difference)}{" "}
                  (95 % {percentagePoints(r.vsControl.low)} … {percentagePoints(r.vsControl.high)}), p ={" "}
                  {pValue(r.vsControl.p)}
                </li>,
              ]
            : [],
        )}
      </ul>
      <p>
        {table.exposed} signed-in visitors exposed
        {props.anonymous > 0
          ? `; ${props.anonymous} anonymous exposures not counted (a registration cannot be traced to them)`
          : ""}
        .
      </p>
    </section>
  );
}

export const consoleExperiments = new Hono<ConsoleApp>().get("/admin/experiments", async (c) => {
  const rows = await pgFlagStore(c.get("db").primary).rows();
  const flags = rows.filter((r) => !isSegmentKey(r.key) && ((r.doc as FlagDoc).variants?.length ?? 0) > 0);
  const counts: FlagCounts[] =
    flags.length === 0
      ? []
      : toFlagCounts(
          (
            (await c.get("db").read.execute(experimentCountsSql(flags.map((f) => f.key)))) as {
              rows: Record<string, unknown>[];
            }
          ).rows,
        );
  return page(
    c,
    { title: "Experiments", section: "experiments" },
    <>
      <h1>Experiments</h1>
      <p>
        Every flag with variants. <strong>Exposed</strong>: signed-in visitors who were served the flag
        (counted once, in the variant first served). <strong>Converted</strong>: those of them who registered
        for an event after that first exposure.
      </p>
      {flags.length === 0 ? <p>No flag has variants yet.</p> : null}
      {flags.map((f) => {
        const doc = f.doc as FlagDoc;
        const mine = counts.filter((x) => x.flag === f.key);
        return (
          <Experiment
            flag={f.key}
            doc={doc}
            table={experimentTable(doc, mine)}
            anonymous={mine.reduce((n, x) => n + x.anonymous, 0)}
          />
        );
      })}
      <details>
        <summary>How to read this</summary>
        <p>
          Each variant is compared with the control (the first variant) by a two-proportion z-test: under the
          hypothesis that both convert equally, <em>p</em> is the chance of a difference at least this large.
          A small <em>p</em> (below 0.05, say) suggests a real difference; the 95 % interval is the range of
          differences consistent with the data. Decide the sample size before looking, and do not stop an
          experiment the first time <em>p</em> dips below 0.05.
        </p>
        <p>
          The sample-ratio check compares the exposures per variant with the configured weights (chi-square).
          Below p = {SRM_THRESHOLD} the split is called broken, whatever the conversions say.
        </p>
      </details>
    </>,
  );
});
