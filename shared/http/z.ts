// zod/mini, set up once per Worker (each entry imports this first): English messages, and no eval probe.
// Modules validate with `import * as z from "zod/mini"`: a namespace used only as `z.string()` lets the bundler
// keep just what is used (re-exporting it from a barrel made every Worker carry all of zod's locales).

import { en } from "zod/locales";
import { config } from "zod/mini";

config({ ...en(), jitless: true });
