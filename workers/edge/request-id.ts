// One id per request, chosen at the edge: Cloudflare's ray id, else a well-formed incoming id, else a new uuid.
export const REQUEST_ID_HEADER = "x-request-id";

// What hono's request-id middleware at the origin accepts, so the origin keeps the edge's id.
const VALID = /^[\w\-=]{1,128}$/;

/** Lazy: a cache hit never needs an id, so it never pays for one. */
export function requestIds(request: Request): { get(): string } {
  let id: string | undefined;
  return {
    get() {
      id ??= pick(request.headers);
      return id;
    },
  };
}

function pick(headers: Headers): string {
  const ray = headers.get("cf-ray");
  if (ray && VALID.test(ray)) return ray;
  const given = headers.get(REQUEST_ID_HEADER);
  if (given && VALID.test(given)) return given;
  return crypto.randomUUID();
}
