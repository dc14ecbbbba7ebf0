export default { async fetch(req, env) { return new Response("hello " + env.ENVIRONMENT); } };
export class Counter { constructor(state) { this.state = state; } async fetch() { return new Response("x"); } }
export class Counter2 { async fetch() { return new Response("y"); } }
