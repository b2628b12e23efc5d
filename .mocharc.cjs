// Mocha's settings. In parallel mode each worker takes the next file of the list when it is free,
// so the files that take longest go first: started last, one of them would leave a worker running
// it alone at the end. Every other test file follows in path order; a new long file belongs here.
const fs = require("node:fs");
const path = require("node:path");

const LONGEST_FIRST = [
    "tests/bench/bench-smoke.test.ts",
    "tests/plugin/component-package.test.ts",
    "tests/local/start.test.ts",
    "tests/policies/pipeline.test.ts",
    "tests/iam/least-privilege.test.ts",
    "tests/local/sigint-during-load.test.ts",
    "tests/e2e/pipeline.test.ts",
    "tests/e2e/malformed-requests.test.ts",
    "tests/e2e/burst.test.ts",
    "tests/e2e/options.test.ts",
    "tests/components/package.test.ts",
    "tests/components/bundling.test.ts",
    "tests/e2e/faults.test.ts",
    "tests/local/sqs-worker.test.ts",
    "tests/workflows/workflows-end-to-end.test.ts",
];

const all = fs
    .readdirSync(path.join(__dirname, "tests"), { recursive: true })
    .map((file) => path.posix.join("tests", file.split(path.sep).join("/")))
    .filter((file) => file.endsWith(".test.ts"))
    .sort((a, b) => a.localeCompare(b, "en"));

module.exports = {
    spec: [...LONGEST_FIRST.filter((file) => all.includes(file)), ...all.filter((file) => !LONGEST_FIRST.includes(file))],
    "node-option": ["import=tsx"],
    timeout: 30000,
    require: ["tests/support/bundle-cache-dir.ts", "tests/support/per-file-cleanup.ts"],
    parallel: true,
    jobs: 2,
};
