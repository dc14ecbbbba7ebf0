// Typed URLs of the hashed static files, read from the manifest that scripts/build-assets.ts writes.
import manifestJson from "../../.build/manifest.json";
import { type AssetManifest, currentAssetPath } from "./naming.ts";

export type AssetName = keyof typeof manifestJson;

const manifest: AssetManifest = manifestJson;

/** The immutable URL of a static file, e.g. asset("site.css") → "/assets/site.0123456789.css". */
export function asset(name: AssetName): string {
  return manifest[name]?.path ?? `/assets/${name}`;
}

/** Subresource Integrity value for `<link integrity>` / `<script integrity>`. */
export function assetIntegrity(name: AssetName): string {
  return manifest[name]?.integrity ?? "";
}

/** For the edge: where an outdated hashed URL's file lives now (see naming.ts), or null. */
export function staleAssetTarget(pathname: string): string | null {
  return currentAssetPath(manifest, pathname);
}

export { ASSET_URL_PREFIX, type AssetManifest, parseHashedPath } from "./naming.ts";
