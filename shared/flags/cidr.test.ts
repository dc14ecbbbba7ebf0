// IPv4/IPv6 parsing and CIDR boundaries.
import { describe, expect, it } from "vitest";
import { cidrContains, parseCidr, parseIp } from "./cidr.ts";

const inside = (cidr: string, ip: string): boolean => {
  const c = parseCidr(cidr);
  const a = parseIp(ip);
  if (!c || !a) throw new Error(`bad input ${cidr} ${ip}`);
  return cidrContains(c, a);
};

describe("IP and CIDR", () => {
  it("parses IPv4 and rejects malformed or ambiguous addresses", () => {
    expect(parseIp("192.168.1.10")).toEqual({ a: 0, b: 0, c: 0xffff, d: 0xc0a8010a });
    for (const bad of ["1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "a.b.c.d", "", "1.2.3.4 "]) {
      expect(parseIp(bad)).toBeNull();
    }
  });

  it("parses IPv6 forms: full, compressed, embedded IPv4, zone", () => {
    expect(parseIp("2001:db8::1")).toEqual({ a: 0x20010db8, b: 0, c: 0, d: 1 });
    expect(parseIp("2001:0db8:0000:0000:0000:0000:0000:0001")).toEqual(parseIp("2001:db8::1"));
    expect(parseIp("::")).toEqual({ a: 0, b: 0, c: 0, d: 0 });
    expect(parseIp("::ffff:10.0.0.1")).toEqual(parseIp("10.0.0.1"));
    expect(parseIp("fe80::1%eth0")).toEqual(parseIp("fe80::1"));
    for (const bad of ["1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1", ":::", "1:2:3:4:5:6:7"]) {
      expect(parseIp(bad)).toBeNull();
    }
  });

  it("matches IPv4 prefixes at their boundaries", () => {
    expect(inside("10.0.0.0/8", "10.255.255.255")).toBe(true);
    expect(inside("10.0.0.0/8", "11.0.0.0")).toBe(false);
    expect(inside("192.168.1.0/24", "192.168.1.77")).toBe(true);
    expect(inside("192.168.1.0/24", "192.168.2.1")).toBe(false);
    expect(inside("0.0.0.0/0", "8.8.8.8")).toBe(true);
    expect(inside("0.0.0.0/0", "2001:db8::1")).toBe(false);
    expect(inside("203.0.113.7", "203.0.113.7")).toBe(true);
    expect(inside("203.0.113.7", "203.0.113.8")).toBe(false);
    expect(inside("10.1.2.3/8", "10.9.9.9")).toBe(true);
  });

  it("matches IPv6 prefixes, including ones that cut inside a word", () => {
    expect(inside("2001:db8::/32", "2001:db8:ffff::1")).toBe(true);
    expect(inside("2001:db8::/32", "2001:db9::1")).toBe(false);
    expect(inside("2001:db8:abcd:1200::/54", "2001:db8:abcd:13ff::1")).toBe(true);
    expect(inside("2001:db8:abcd:1200::/54", "2001:db8:abcd:1400::1")).toBe(false);
    expect(inside("::/0", "10.0.0.1")).toBe(true);
    expect(inside("::ffff:10.0.0.0/104", "10.20.30.40")).toBe(true);
  });

  it("rejects malformed CIDRs", () => {
    for (const bad of ["10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "x/8"]) {
      expect(parseCidr(bad)).toBeNull();
    }
  });
});
