// IPv4/IPv6 parsing and CIDR matching on four 32-bit words (IPv4 is held as ::ffff:a.b.c.d, so one code path).

export interface Ip {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

export interface Cidr extends Ip {
  readonly ma: number;
  readonly mb: number;
  readonly mc: number;
  readonly md: number;
}

function parseV4(s: string): number | null {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return null;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      // A leading zero is refused: "010" is octal to some parsers and decimal to others.
      if (digits === 1 && part === 0) return null;
      part = part * 10 + (c - 48);
      if (part > 255 || ++digits > 3) return null;
    } else return null;
  }
  if (digits === 0 || dots !== 3) return null;
  return value * 256 + part;
}

function hexGroup(s: string): number {
  if (s.length === 0 || s.length > 4) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (c >= 48 && c <= 57) v = v * 16 + (c - 48);
    else if (c >= 97 && c <= 102) v = v * 16 + (c - 87);
    else return -1;
  }
  return v;
}

function parseV6Groups(s: string): number[] | null {
  const pieces = (text: string): number[] | null => {
    if (text === "") return [];
    const out: number[] = [];
    const parts = text.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] ?? "";
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = parseV4(p);
        if (v4 === null) return null;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        const g = hexGroup(p);
        if (g < 0) return null;
        out.push(g);
      }
    }
    return out;
  };
  const gap = s.indexOf("::");
  if (gap < 0) {
    const all = pieces(s);
    return all && all.length === 8 ? all : null;
  }
  if (s.indexOf("::", gap + 1) >= 0) return null;
  const head = pieces(s.slice(0, gap));
  const tail = pieces(s.slice(gap + 2));
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** Parses an IPv4 or IPv6 address (a `%zone` suffix is ignored); null when malformed. */
export function parseIp(input: string): Ip | null {
  if (input.includes(":")) {
    const zone = input.indexOf("%");
    const g = parseV6Groups(zone >= 0 ? input.slice(0, zone) : input);
    if (!g) return null;
    const w = (i: number): number => ((g[i] ?? 0) * 65536 + (g[i + 1] ?? 0)) >>> 0;
    return { a: w(0), b: w(2), c: w(4), d: w(6) };
  }
  const v4 = parseV4(input);
  return v4 === null ? null : { a: 0, b: 0, c: 0xffff, d: v4 >>> 0 };
}

function maskWord(bits: number): number {
  if (bits <= 0) return 0;
  if (bits >= 32) return 0xffffffff;
  return (0xffffffff << (32 - bits)) >>> 0;
}

/** Parses `addr/prefix` or a bare address (a single host); null when malformed. */
export function parseCidr(input: string): Cidr | null {
  const slash = input.indexOf("/");
  const addr = slash >= 0 ? input.slice(0, slash) : input;
  const ip = parseIp(addr);
  if (!ip) return null;
  const max = addr.includes(":") ? 128 : 32;
  let bits = max;
  if (slash >= 0) {
    const text = input.slice(slash + 1);
    if (!/^\d{1,3}$/.test(text)) return null;
    bits = Number(text);
    if (bits > max) return null;
  }
  const total = max === 32 ? bits + 96 : bits;
  const ma = maskWord(total);
  const mb = maskWord(total - 32);
  const mc = maskWord(total - 64);
  const md = maskWord(total - 96);
  return {
    a: (ip.a & ma) >>> 0,
    b: (ip.b & mb) >>> 0,
    c: (ip.c & mc) >>> 0,
    d: (ip.d & md) >>> 0,
    ma,
    mb,
    mc,
    md,
  };
}

export function cidrContains(cidr: Cidr, ip: Ip): boolean {
  return (
    (ip.d & cidr.md) >>> 0 === cidr.d &&
    (ip.c & cidr.mc) >>> 0 === cidr.c &&
    (ip.a & cidr.ma) >>> 0 === cidr.a &&
    (ip.b & cidr.mb) >>> 0 === cidr.b
  );
}

// The context's address is parsed once per request even when many flags test it.
let lastText: string | undefined;
let lastIp: Ip | null = null;

/** parseIp with a one-entry memo keyed by the address text. */
export function parseIpCached(text: string): Ip | null {
  if (text !== lastText) {
    lastText = text;
    lastIp = parseIp(text);
  }
  return lastIp;
}
