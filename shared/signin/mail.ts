// The email that carries a code: short, the code on its own line, what it is for, and what to do if unexpected.
import type { Purpose } from "./policy.ts";
import { SIGN_IN } from "./policy.ts";

const WHAT: Record<Purpose, { subject: string; action: string }> = {
  "sign-in": { subject: "sign-in code", action: "sign in" },
  export: { subject: "code to export your data", action: "export your data" },
  delete: { subject: "code to delete your account", action: "delete your account" },
};

export function codeEmail(site: string, purpose: Purpose, code: string): { subject: string; text: string } {
  const what = WHAT[purpose];
  const minutes = Math.round(SIGN_IN.codeTtlMs / 60_000);
  return {
    subject: `Your ${site} ${what.subject}: ${code}`,
    text: [
      `Your code to ${what.action} on ${site}:`,
      "",
      `    ${code}`,
      "",
      `It works once, for ${minutes} minutes.`,
      "If you did not ask for it, ignore this email: nothing happens without the code.",
    ].join("\n"),
  };
}
