// How hashed asset files are named and recognised; shared by the build script and the Workers.
export const ASSET_URL_PREFIX = "/assets/";
export const HASH_LENGTH = 10;

export type AssetEntry = { path: string; integrity: string };
export type AssetManifest = Record<string, AssetEntry>;

/** "site.css" + "0123456789" → "site.0123456789.css"; the hash goes before the last extension only. */
export function hashedFileName(name: string, hash: string): string {
  const slash = name.lastIndexOf("/");
  const dot = name.lastIndexOf(".");
  if (dot <= slash + 1) return `${name}.${hash}`;
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

const HASHED = new RegExp(`^(.+)\\.([0-9a-f]{${HASH_LENGTH}})(\\.[^./]+)?$`);

/** The inverse of hashedFileName for a request path: "/assets/site.0123456789.css" → site.css + hash. */
export function parseHashedPath(pathname: string): { name: string; hash: string } | null {
  if (!pathname.startsWith(ASSET_URL_PREFIX)) return null;
  const match = HASHED.exec(pathname.slice(ASSET_URL_PREFIX.length));
  if (!match?.[1] || !match[2]) return null;
  return { name: match[1] + (match[3] ?? ""), hash: match[2] };
}

/**
 * Pages cached before a deploy (stale-if-error keeps them up to a day) still name the old hashes,
 * which the new deploy no longer has: map such a path to the current file, or null if unknown/current.
 */
export function currentAssetPath(manifest: AssetManifest, pathname: string): string | null {
  const parsed = parseHashedPath(pathname);
  if (!parsed) return null;
  const current = manifest[parsed.name]?.path;
  return current && current !== pathname ? current : null;
}
