// The one validation library of every Worker: zod/mini (a fraction of zod's size), English messages, set up once.
import { en } from "zod/locales";
import * as z from "zod/mini";

// jitless: Workers forbid `new Function`; saying so up front skips zod's probe for it.
z.config({ ...en(), jitless: true });

export { z };
