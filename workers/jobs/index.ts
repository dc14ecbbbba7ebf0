// The jobs Worker's entry: queue consumers and scheduled work (temporary skeleton).
export default {
  async queue(batch) {
    for (const msg of batch.messages) msg.ack();
  },
  async scheduled() {},
} satisfies ExportedHandler<JobsEnv>;
