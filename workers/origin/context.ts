// The typed per-request variables every origin handler can read.
import type { OriginConfig } from "../../shared/env";
import type { EdgeContext } from "../../shared/trust";
import type { RequestDb } from "./db";

export type OriginVars = {
  requestId: string;
  config: OriginConfig;
  edge: EdgeContext;
  db: RequestDb;
};

export type OriginApp = { Bindings: OriginEnv; Variables: OriginVars };
