/**
 * Loaded first in every test process (`.mocharc.cjs`): handler bundles are kept under
 * node_modules/.cache, so that the test workers, and the programs they start (`npm start`, the
 * bench's children), build each handler once between them instead of once each. A bundle is
 * reused only while every file it was built from is unchanged (components/bundle-cache.ts).
 */
import * as path from "node:path";
import { BUNDLE_CACHE_DIR_ENV } from "../../components/bundle-cache";

process.env[BUNDLE_CACHE_DIR_ENV] ??= path.resolve(__dirname, "../../node_modules/.cache/order-pipeline-bundles");
