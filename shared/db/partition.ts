// Horizontal partitioning (Disqus-style routers): which database holds a tenant's rows.

export type ClusterUrls = { primaryUrl: string; replicaUrls?: string[] };

export type PartitionConfig = {
  databases: Record<string, ClusterUrls>;
  /** Explicit placements win: moving a tenant is editing this map, not rehashing everyone. */
  assign?: Record<string, string>;
  /** Where unassigned keys go; without it they are hashed across all databases. */
  fallback?: string;
};

export function routePartition(key: string, config: PartitionConfig): string {
  const names = Object.keys(config.databases).sort();
  if (names.length === 0) throw new Error("partitions: no databases configured");
  const assigned = config.assign?.[key] ?? config.fallback;
  if (assigned !== undefined) {
    if (!(assigned in config.databases))
      throw new Error(`partitions: "${key}" maps to unknown database "${assigned}"`);
    return assigned;
  }
  return names[fnv1a(key) % names.length] ?? names[0] ?? "";
}

/** FNV-1a 32-bit: stable across isolates and deploys, unlike anything seeded. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
