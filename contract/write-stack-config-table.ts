/** `npm run docs:config`: writes the stack key table into docs/configuration.md. */
import * as fs from "node:fs";
import * as path from "node:path";
import { withStackConfigTable } from "./stack-config-table";

const page = path.resolve(__dirname, "../docs/configuration.md");
fs.writeFileSync(page, withStackConfigTable(fs.readFileSync(page, "utf8")));
process.stdout.write(`wrote the stack key table into ${path.relative(process.cwd(), page)}\n`);
