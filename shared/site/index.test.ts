import { describe, expect, it } from "vitest";
import { cookieName, DEAD_LETTER_QUEUE, ENV_PREFIX, isDeadLetterQueue, JOBS_QUEUE, SITE } from "./index.ts";

describe("site names", () => {
  it("derive from the one name", () => {
    expect(JOBS_QUEUE).toBe(`${SITE.name}-jobs`);
    expect(cookieName("ryw")).toBe(`${SITE.cookiePrefix}ryw`);
    expect(ENV_PREFIX).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });

  it("tell the dead-letter queue of every environment from the job queue", () => {
    expect(isDeadLetterQueue(DEAD_LETTER_QUEUE)).toBe(true);
    expect(isDeadLetterQueue(`${DEAD_LETTER_QUEUE}-staging`)).toBe(true);
    expect(isDeadLetterQueue(`${DEAD_LETTER_QUEUE}-production`)).toBe(true);
    expect(isDeadLetterQueue(JOBS_QUEUE)).toBe(false);
    expect(isDeadLetterQueue(`${JOBS_QUEUE}-staging`)).toBe(false);
    expect(isDeadLetterQueue(`${DEAD_LETTER_QUEUE}x`)).toBe(false);
    expect(isDeadLetterQueue(`other-${DEAD_LETTER_QUEUE}`)).toBe(false);
  });
});
