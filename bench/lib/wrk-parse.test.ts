// Checks the wrk output reader against real `wrk --latency` output captured on this machine.
import { describe, expect, it } from "vitest";
import { durationMs, parseWrk } from "./wrk-parse.ts";

const OK = `Running 3s test @ http://127.0.0.1:34571/events
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.05ms   12.13ms  97.76ms   89.37%
    Req/Sec     8.50k     2.61k   12.66k    66.67%
  Latency Distribution
     50%    4.15ms
     75%    7.99ms
     90%   22.25ms
     99%   63.96ms
  25712 requests in 3.08s, 58.30MB read
Requests/sec:   8337.27
Transfer/sec:     18.90MB
`;

const FAILING = `Running 1s test @ http://127.0.0.1:1/
  1 threads and 10 connections
  Latency Distribution
     50%  812.00us
     75%    1.00ms
     90%    1.50ms
     99%    2.01s
  100 requests in 1.00s, 10.00KB read
  Socket errors: connect 0, read 3, write 1, timeout 2
  Non-2xx or 3xx responses: 17
Requests/sec:    100.00
`;

describe("durationMs", () => {
  it("converts wrk's units to milliseconds", () => {
    expect(durationMs("812.00us")).toBeCloseTo(0.812);
    expect(durationMs("4.15ms")).toBeCloseTo(4.15);
    expect(durationMs("2.01s")).toBeCloseTo(2010);
    expect(durationMs("1.5m")).toBeCloseTo(90_000);
  });
  it("is NaN for text it cannot read", () => {
    expect(durationMs("fast")).toBeNaN();
    expect(durationMs("12kb")).toBeNaN();
  });
});

describe("parseWrk", () => {
  it("reads rate, count and the 50th/99th percentiles, not the 75th/90th", () => {
    expect(parseWrk(OK)).toEqual({
      requests: 25712,
      perSecond: 8337.27,
      p50Ms: 4.15,
      p99Ms: 63.96,
      non2xx: 0,
      errors: 0,
    });
  });
  it("sums socket errors and counts non-2xx responses", () => {
    const r = parseWrk(FAILING);
    expect(r.errors).toBe(6);
    expect(r.non2xx).toBe(17);
    expect(r.p50Ms).toBeCloseTo(0.812);
    expect(r.p99Ms).toBeCloseTo(2010);
  });
  it("yields NaN rather than zero when wrk printed nothing useful", () => {
    const r = parseWrk("unable to connect to 127.0.0.1:1 Connection refused");
    expect(r.perSecond).toBeNaN();
    expect(r.p50Ms).toBeNaN();
  });
});
