// Mocha's settings. In parallel mode each worker takes the next file of the list when it is free,
// so the files that take longest go first: started last, one of them would leave a worker running
// it alone at the end. Every other test file follows in path order; a new long file belongs here.
// Three workers on two cores: many files spend much of their time waiting (visibility timeouts,
// child processes starting), and a third worker runs another file meanwhile.
const fs = require("node:fs");
const path = require("node:path");

const LONGEST_FIRST = [
    "tests/bench/bench-smoke.test.ts",
    "tests/local/start.test.ts",
    "tests/plugin/component-package.test.ts",
    "tests/e2e/pipeline.test.ts",
    "tests/local/sqs-worker.test.ts",
    "tests/e2e/burst.test.ts",
    "tests/local/sigint-during-load.test.ts",
    "tests/iam/least-privilege.test.ts",
    "tests/e2e/faults.test.ts",
    "tests/e2e/malformed-requests.test.ts",
    "tests/e2e/worker-thread.test.ts",
    "tests/e2e/email-events.test.ts",
    "tests/e2e/fuzz.test.ts",
    "tests/e2e/options.test.ts",
    "tests/policies/pipeline.test.ts",
    "tests/components/package.test.ts",
    "tests/handlers/process/retry-backoff.test.ts",
    "tests/components/workflows/definitions.test.ts",
    "tests/workflows/workflows-end-to-end.test.ts",
    "tests/policies/entry.test.ts",
];

// V8's compiled code of every module, kept on disk: each test worker, and each program a test starts
// (`npm start`, the bench's children that inherit the environment), compiles Pulumi, the AWS SDK and
// the rest once between them instead of once each. Node checks each entry against the source.
process.env.NODE_COMPILE_CACHE ??= path.join(__dirname, "node_modules", ".cache", "node-compile-cache");

const all = fs
    .readdirSync(path.join(__dirname, "tests"), { recursive: true })
    .map((file) => path.posix.join("tests", file.split(path.sep).join("/")))
    .filter((file) => file.endsWith(".test.ts"))
    .sort((a, b) => a.localeCompare(b, "en"));

module.exports = {
    spec: [...LONGEST_FIRST.filter((file) => all.includes(file)), ...all.filter((file) => !LONGEST_FIRST.includes(file))],
    // typebox-native first: Node runs `--require` preloads before `--import` ones (see the file).
    "node-option": [`require=${path.join(__dirname, "tests", "support", "typebox-native.cjs")}`, "import=tsx"],
    timeout: 30000,
    require: ["tests/support/bundle-cache-dir.ts", "tests/support/per-file-cleanup.ts"],
    parallel: true,
    jobs: 3,
};
