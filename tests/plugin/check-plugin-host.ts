/**
 * `npm run plugin:check`: starts this package the way the Pulumi CLI does for a source-based
 * plugin (Pulumi's Node.js plugin runner, `@pulumi/pulumi/cmd/run-plugin`, in a working directory
 * with no tsconfig.json, as a Python or YAML consumer's is), asks it for its schema over gRPC
 * (GetSchema) and prints what it serves, with the time to start and to answer. Exits non-zero if
 * the plugin does not start or does not serve OrderPipeline. It needs the compiled package
 * (`npm run build`, which the npm script runs first).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ORDER_PIPELINE_TYPE } from "../../components";

// The generated gRPC stubs of the Pulumi SDK (CommonJS, without types).
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerProto = require("@pulumi/pulumi/proto/provider_pb");

const ROOT = path.resolve(__dirname, "../..");
const START_TIMEOUT_MS = 300_000;

/** Starts the plugin runner on this package; resolves with its gRPC port and the child process. */
function startPlugin(cwd: string): Promise<{ port: number; stop: () => void }> {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [ROOT] });
    const child = spawn(process.execPath, [runner, ROOT], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill();
            reject(new Error(`the plugin did not start within ${START_TIMEOUT_MS} ms\n${stderr}`));
        }, START_TIMEOUT_MS);
        let stdout = "";
        child.stdout.on("data", (chunk) => {
            stdout += chunk;
            const line = stdout.split("\n").find((l) => /^\d+$/.test(l.trim()));
            if (line === undefined) return;
            clearTimeout(timer);
            resolve({ port: Number(line.trim()), stop: () => child.kill() });
        });
        child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the plugin exited with code ${code} before serving\n${stdout}\n${stderr}`));
        });
    });
}

/** Calls GetSchema on the plugin at 127.0.0.1:port. */
function getSchema(port: number): Promise<any> {
    const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new Promise((resolve, reject) => {
        client.getSchema(new providerProto.GetSchemaRequest(), (error: Error | null, response: any) => {
            client.close();
            if (error) reject(error);
            else resolve(JSON.parse(response.getSchema()));
        });
    });
}

async function main(): Promise<void> {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "order-pipeline-consumer-"));
    const started = Date.now();
    const plugin = await startPlugin(cwd);
    const startMs = Date.now() - started;
    try {
        const asked = Date.now();
        const schema = await getSchema(plugin.port);
        const schemaMs = Date.now() - asked;
        const resource = schema.resources?.[ORDER_PIPELINE_TYPE];
        if (!resource) throw new Error(`the plugin serves no ${ORDER_PIPELINE_TYPE}; it serves ${Object.keys(schema.resources ?? {}).join(", ")}`);
        process.stdout.write(
            `${JSON.stringify({
                package: schema.name,
                version: schema.version,
                resource: ORDER_PIPELINE_TYPE,
                inputs: Object.keys(resource.inputProperties).length,
                outputs: Object.keys(resource.properties).length,
                types: Object.keys(schema.types).length,
                dependencies: schema.dependencies,
                startMs,
                schemaMs,
            })}\n`,
        );
    } finally {
        plugin.stop();
        fs.rmSync(cwd, { recursive: true, force: true });
    }
}

main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
