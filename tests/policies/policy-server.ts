/**
 * Starts a policy pack the way the Pulumi CLI does and talks to it over its gRPC interface, as the
 * engine would. The CLI's `pulumi-analyzer-policy` shim runs
 * `node <@pulumi/pulumi/cmd/run-policy-pack> <engine address> .` in the pack's folder; the runner
 * registers ts-node (type-checking the pack), loads the folder's entry, whose `new PolicyPack(...)`
 * binds a gRPC server to 127.0.0.1 on a free port, prints the port, and serves until stopped.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";

/** One diagnostic the pack returned. */
export interface Diagnostic {
    readonly policy: string;
    readonly message: string;
    readonly urn: string;
    readonly enforcementLevel: "advisory" | "mandatory" | "disabled" | "remediate";
}

const LEVELS = { [analyzer.EnforcementLevel.ADVISORY]: "advisory", [analyzer.EnforcementLevel.MANDATORY]: "mandatory", [analyzer.EnforcementLevel.DISABLED]: "disabled", [analyzer.EnforcementLevel.REMEDIATE]: "remediate" } as const;

/** A resource as the engine sends it to `Analyze` or `AnalyzeStack`. */
export interface EngineResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly properties: Record<string, unknown>;
    /** Per property, the URNs it was computed from (stack analysis only). */
    readonly propertyDependencies?: Record<string, string[]>;
}

/** A running pack: its process, what it printed, and calls into it. */
export interface RunningPack {
    readonly process: ChildProcessWithoutNullStreams;
    /** Everything the process wrote to stdout and stderr so far. */
    readonly output: { stdout: string; stderr: string };
    /** The port the pack printed. */
    readonly port: number;
    info(): Promise<analyzer.AnalyzerInfo>;
    configure(config: Record<string, { enforcementLevel?: analyzer.EnforcementLevel; properties?: Record<string, unknown> }>): Promise<void>;
    analyze(resource: EngineResource): Promise<Diagnostic[]>;
    analyzeStack(resources: readonly EngineResource[]): Promise<Diagnostic[]>;
    /** Stops the pack as the CLI does (SIGTERM) and resolves with how it exited. */
    stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Unary gRPC call as a promise. */
function call<Req, Res>(method: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => method(request, (error, response) => (error ? reject(error) : resolve(response))));
}

function diagnosticsOf(response: analyzer.AnalyzeResponse): Diagnostic[] {
    return response.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        message: d.getMessage(),
        urn: d.getUrn(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
    }));
}

function engineResource(resource: EngineResource): analyzer.AnalyzerResource {
    const message = new analyzer.AnalyzerResource();
    message.setType(resource.type);
    message.setName(resource.name);
    message.setUrn(resource.urn);
    message.setProperties(Struct.fromJavaScript(resource.properties as Record<string, never>));
    message.setOptions(new analyzer.AnalyzerResourceOptions());
    for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        const dependencies = new analyzer.AnalyzerPropertyDependencies();
        dependencies.setUrnsList(urns);
        message.getPropertydependenciesMap().set(property, dependencies);
    }
    return message;
}

/**
 * Starts the pack in `folder` with the CLI's runner and waits for the port it prints. Rejects with
 * what the process wrote if it exits first.
 */
export function startPack(folder: string): Promise<RunningPack> {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    // The engine address is the CLI's; a policy pack never dials it.
    const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: folder, stdio: "pipe" });
    const output = { stdout: "", stderr: "" };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output.stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output.stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    return new Promise((resolve, reject) => {
        const onData = () => {
            const line = /^(.*)\n/.exec(output.stdout)?.[1];
            if (line === undefined) return;
            child.stdout.off("data", onData);
            const port = Number(line);
            if (!/^\d+$/.test(line)) {
                child.kill("SIGTERM");
                return reject(new Error(`the pack printed ${JSON.stringify(line)} instead of a port; stderr: ${output.stderr}`));
            }
            const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            resolve({
                process: child,
                output,
                port,
                info: () => call(client.getAnalyzerInfo.bind(client), new Empty()),
                async configure(config) {
                    const request = new analyzer.ConfigureAnalyzerRequest();
                    for (const [name, { enforcementLevel, properties }] of Object.entries(config)) {
                        const policyConfig = new analyzer.PolicyConfig();
                        policyConfig.setEnforcementlevel(enforcementLevel ?? analyzer.EnforcementLevel.MANDATORY);
                        policyConfig.setProperties(Struct.fromJavaScript((properties ?? {}) as Record<string, never>));
                        request.getPolicyconfigMap().set(name, policyConfig);
                    }
                    await call(client.configure.bind(client), request);
                },
                async analyze(resource) {
                    const request = new analyzer.AnalyzeRequest();
                    request.setType(resource.type);
                    request.setName(resource.name);
                    request.setUrn(resource.urn);
                    request.setProperties(Struct.fromJavaScript(resource.properties as Record<string, never>));
                    request.setOptions(new analyzer.AnalyzerResourceOptions());
                    return diagnosticsOf(await call(client.analyze.bind(client), request));
                },
                async analyzeStack(resources) {
                    const request = new analyzer.AnalyzeStackRequest();
                    request.setResourcesList(resources.map(engineResource));
                    return diagnosticsOf(await call(client.analyzeStack.bind(client), request));
                },
                stop() {
                    client.close();
                    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
                    return exited;
                },
            });
        };
        child.stdout.on("data", onData);
        void exited.then(({ code, signal }) => reject(new Error(`the pack exited (code ${code}, signal ${signal}) before printing a port; stderr: ${output.stderr}`)));
    });
}
