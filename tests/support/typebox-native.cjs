/**
 * Preloaded in every test worker (`--require`, which Node runs before `--import tsx`). typebox ships
 * ES modules only, and under tsx each of its ~680 modules is transpiled to CommonJS one by one: about
 * 1 s of CPU per process while tsx's cache is empty, 0.3 s once it is warm. Node loads them natively
 * (require of an ES module); loaded here first, every later `require("typebox...")` of the code under
 * test gets these native modules from the module cache. Every entry point the package exports is
 * loaded, so that no later import can bring in a second, transpiled copy of the modules they share.
 */
"use strict";
const fs = require("node:fs");
const { findPackageJSON } = require("node:module");

const { name, exports: entries } = JSON.parse(fs.readFileSync(findPackageJSON("typebox", __filename), "utf8"));
for (const subpath of Object.keys(entries)) require(subpath === "." ? name : `${name}/${subpath.slice(2)}`);
