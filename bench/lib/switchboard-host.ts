// Bench only: a Worker hosting the real switchboard object beside the edge, counting the reads it answers.
import { Switchboard as Base } from "../../shared/switchboard/object.ts";

let reads = 0;

export class Switchboard extends Base {
  override async read() {
    reads++;
    return super.read();
  }

  benchReads(): number {
    return reads;
  }
}

export default {
  /** GET on its own socket: how many reads the object has answered so far. */
  async fetch(_request: Request, env: { SWITCHBOARD: DurableObjectNamespace<Switchboard> }) {
    const stub = env.SWITCHBOARD.get(env.SWITCHBOARD.idFromName("switches"));
    return Response.json({ reads: await stub.benchReads() });
  },
};
