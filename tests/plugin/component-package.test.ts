// First: loading the mocks module installs the mocks before the component is loaded.
import { archiveFiles, findResource, recordProgram, type RecordedResource } from "../support/pulumi-mocks";
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { MfaMode, OrderPipeline, ORDER_PIPELINE_TYPE, OrderPipelineArgsError, WorkflowLogLevel, type OrderPipelineArgs } from "../../components";
import { MFA_MODES } from "../../contract/options/auth";
import { WORKFLOW_LOG_LEVELS } from "../../contract/options/workflows";
import { DEFERRED_ARGUMENT_PATHS } from "../../contract/plain-args";
import { EXAMPLES, PYTHON_NAMES, readPythonExample, readTypeScriptExample, readYamlExample, ROOT, SCHEMA_NAMES, toWire, type ExampleProgram } from "./examples";
import { EXPECTED_INPUTS, EXPECTED_OUTPUTS, EXPECTED_ROLE_TYPES, type StatedDefault } from "./schema-expectations";
import { flatInputs, pythonName, typeName, type PackageSchema } from "./schema-view";

// The provider server's own input decoding and protobuf's Struct: what a Construct request carries.
const { deserializeInputs } = require("@pulumi/pulumi/provider/server") as {
    deserializeInputs(inputs: unknown, dependencies: Map<string, unknown>): Promise<Record<string, unknown>>;
};
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(value: object): unknown } };

/** The resource options the provider server builds for a component at the top of a program. */
const TOP_LEVEL_OPTIONS: pulumi.ComponentResourceOptions = {
    aliases: [],
    dependsOn: [],
    protect: false,
    providers: {},
    parent: undefined,
    ignoreChanges: [],
    replaceOnChanges: [],
    retainOnDelete: false,
};

/** An Input<string> as another language's SDK sends it when it is an output of another resource. */
function outputValue(value: string, dependency: string): Record<string, unknown> {
    return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialOutputValueSig, value, dependencies: [dependency] };
}

/** Whether a description states a default as {@link StatedDefault} says. */
function statesDefault(description: string, stated: StatedDefault): boolean {
    if ("words" in stated) return description.includes(stated.words);
    const values = Array.isArray(stated.value) ? stated.value : [stated.value];
    if (Array.isArray(stated.value)) return description.includes(`Defaults to ${values.map((v) => `\`${v}\``).join(", ")}`);
    return new RegExp(`Defaults to [\`"]?${String(stated.value)}[\`"]?(?![\\w-])`).test(description);
}

/** A TypeScript example's enum references (`MfaMode.ON`) resolved through the package's own enum objects. */
function resolveEnums(value: unknown): unknown {
    const enums: Record<string, Record<string, string>> = { MfaMode, WorkflowLogLevel };
    if (Array.isArray(value)) return value.map(resolveEnums);
    if (value && typeof value === "object") {
        const reference = value as { enum?: string; member?: string };
        if (reference.enum && reference.member && Object.keys(value).length === 2) return enums[reference.enum][reference.member];
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnums(v)]));
    }
    return value;
}

describe("OrderPipeline as a Pulumi component package (schema inferred by ComponentProvider, no Pulumi CLI)", function () {
    // Pulumi's schema inference builds a TypeScript program of the whole package: seconds to tens of seconds.
    this.timeout(240_000);

    let provider: ComponentProvider;
    let schema: PackageSchema;

    before(async () => {
        provider = new ComponentProvider({ components: [OrderPipeline], name: "order-pipeline", dirname: ROOT });
        schema = JSON.parse(await provider.getSchema());
    });

    describe("the schema", () => {
        it("should describe OrderPipeline as a component of the order-pipeline package, depending on the AWS package it references", () => {
            expect(schema.name).to.equal("order-pipeline");
            expect(Object.keys(schema.resources)).to.deep.equal([ORDER_PIPELINE_TYPE]);
            expect(schema.resources[ORDER_PIPELINE_TYPE].description).to.match(/^The order pipeline: an HTTP API/);
            const aws = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@pulumi/aws/package.json"), "utf8"));
            expect(schema.dependencies).to.deep.equal([{ version: aws.version, name: "aws" }]);
        });

        it("should have every input, at every depth, with its type and nothing else", () => {
            const actual = Object.fromEntries(flatInputs(schema, ORDER_PIPELINE_TYPE).map((i) => [i.path, typeName(schema, i.property)]));
            const expected = Object.fromEntries(Object.entries(EXPECTED_INPUTS).map(([p, e]) => [p, e.type]));
            expect(actual).to.deep.equal(expected);
        });

        it("should mark required exactly the inputs that have no default", () => {
            for (const input of flatInputs(schema, ORDER_PIPELINE_TYPE)) {
                expect(input.required, input.path).to.equal(EXPECTED_INPUTS[input.path].required === true);
                expect(input.property.optional === true, input.path).to.equal(!input.required);
            }
        });

        it("should carry every input's description, stating the contract's default or that the input is required", () => {
            for (const input of flatInputs(schema, ORDER_PIPELINE_TYPE)) {
                const description = input.property.description ?? "";
                expect(description, input.path).to.have.length.above(10);
                expect(description, input.path).not.to.include("[object Object]");
                const { default: stated, required } = EXPECTED_INPUTS[input.path];
                if (required) expect(stated, `${input.path} is required and has no default`).to.equal(undefined);
                else expect(statesDefault(description, stated!), `${input.path}: ${description}`).to.equal(true);
            }
        });

        it("should take a value of another resource (an Input) exactly where the component accepts one, and plain values elsewhere", () => {
            const deferred = (p: string) => DEFERRED_ARGUMENT_PATHS.some((allowed) => allowed.test(p.replace(/\[\]/g, "[0]")));
            for (const input of flatInputs(schema, ORDER_PIPELINE_TYPE)) {
                const items = input.property.items;
                const plainValue = input.property.type === "array" ? items!.plain === true : input.property.plain === true;
                const itemsPath = input.property.type === "array" ? `${input.path}[]` : input.path;
                expect(!plainValue, input.path).to.equal(deferred(itemsPath));
            }
        });

        it("should offer the fixed choices as enums with the contract's values", () => {
            const values = (name: string) => schema.types[`order-pipeline:index:${name}`].enum!.map((m) => m.value);
            expect(values("MfaMode")).to.deep.equal([...MFA_MODES]);
            expect(values("MfaMode")).to.deep.equal(Object.values(MfaMode));
            expect(values("WorkflowLogLevel")).to.deep.equal([...WORKFLOW_LOG_LEVELS]);
            expect(values("WorkflowLogLevel")).to.deep.equal(Object.values(WorkflowLogLevel));
            for (const name of ["MfaMode", "WorkflowLogLevel"]) {
                for (const member of schema.types[`order-pipeline:index:${name}`].enum!) expect(member.description, `${name}.${member.name}`).to.have.length.above(5);
            }
        });

        it("should have every output, typed and described, with the TypeScript-only groupings left out", () => {
            const resource = schema.resources[ORDER_PIPELINE_TYPE];
            const actual = Object.fromEntries(Object.entries(resource.properties).map(([name, p]) => [name, { type: typeName(schema, p), ...(p.optional ? { optional: true } : {}) }]));
            expect(actual).to.deep.equal(EXPECTED_OUTPUTS);
            expect([...resource.required].sort()).to.deep.equal(Object.keys(EXPECTED_OUTPUTS).filter((n) => !EXPECTED_OUTPUTS[n].optional).sort());
            for (const [name, property] of Object.entries(resource.properties)) {
                expect(property.description, name).to.have.length.above(10).and.not.include("[object Object]");
            }
            for (const [typeToken, role] of Object.entries(EXPECTED_ROLE_TYPES)) {
                const type = schema.types[`order-pipeline:index:${typeToken}`];
                expect(Object.keys(type.properties!), typeToken).to.deep.equal(["submit", "process", "get", "refund", "emailEvents"]);
                expect([...type.required!], typeToken).to.deep.equal(["get", "process", "submit"]);
                for (const [entry, property] of Object.entries(type.properties!)) {
                    expect(typeName(schema, property), `${typeToken}.${entry}`).to.equal(role);
                    expect(property.description, `${typeToken}.${entry}`).to.have.length.above(10);
                }
            }
        });
    });

    describe("construct through the provider, with inputs as another language sends them", () => {
        /** Builds OrderPipeline the way the plugin does for another language's program. */
        async function constructThroughProvider(name: string, wire: Record<string, unknown>) {
            const inputs = await deserializeInputs(Struct.fromJavaScript(wire), new Map());
            let constructed: ReturnType<ComponentProvider["construct"]> | undefined;
            const resources = await recordProgram(() => {
                constructed = provider.construct(name, ORDER_PIPELINE_TYPE, inputs as pulumi.Inputs, TOP_LEVEL_OPTIONS);
                // The component is built before construct's first await; what follows only reads it.
                constructed.catch(() => undefined);
            });
            const result = await constructed!;
            // What the provider server sends back to the engine: every output, serialized.
            const [state] = await pulumi.runtime.serializeResourceProperties(`construct(${ORDER_PIPELINE_TYPE}, ${name})`, result.state);
            const urn = await new Promise<string>((resolve) => pulumi.output(result.urn).apply(resolve));
            return { resources, urn, state };
        }

        /** Builds OrderPipeline from TypeScript. */
        async function constructInTypeScript(name: string, args: OrderPipelineArgs) {
            let pipeline: OrderPipeline | undefined;
            const resources = await recordProgram(() => (pipeline = new OrderPipeline(name, args)));
            return { resources, pipeline: pipeline! };
        }

        /** The same graph: the same resources, parents and inputs; the same code in every function. */
        async function expectSameGraph(viaProvider: readonly RecordedResource[], viaTypeScript: readonly RecordedResource[]) {
            const shape = (rs: readonly RecordedResource[]) => rs.map((r) => `${r.type} ${r.urn} parent=${r.parent}`).sort();
            expect(shape(viaProvider)).to.deep.equal(shape(viaTypeScript));
            const byUrn = new Map(viaTypeScript.map((r) => [r.urn, r]));
            for (const resource of viaProvider) {
                const twin = byUrn.get(resource.urn)!;
                // A function's code is an archive of promised assets: compared by the files it holds.
                const { code, ...inputs } = resource.inputs;
                const { code: twinCode, ...twinInputs } = twin.inputs;
                expect(inputs, resource.urn).to.deep.equal(twinInputs);
                if (code !== undefined) expect(await archiveFiles(code), resource.name).to.deep.equal(await archiveFiles(twinCode));
            }
            const component = (rs: readonly RecordedResource[]) => rs.find((r) => r.type === ORDER_PIPELINE_TYPE)!;
            expect(component(viaProvider).state, "registered outputs").to.deep.equal(component(viaTypeScript).state);
        }

        /** Every output the schema lists is in the construct result, resources as references to the children. */
        function expectOutputs(state: Record<string, any>, resources: readonly RecordedResource[], present: readonly string[]) {
            // An output that is undefined (an option that is off) is not sent at all.
            expect(Object.keys(state).sort()).to.deep.equal([...present].sort());
            const queue = findResource(resources, "aws:sqs/queue:Queue", "orders-queue");
            expect(state.queue).to.deep.include({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialResourceSig, urn: queue.urn });
            expect(state.queueUrl).to.equal(queue.state.url);
            expect(Object.keys(state.functionNames)).to.include.members(["submit", "process", "get"]);
        }

        it("should build the default pipeline from no inputs, as the TypeScript path does", async () => {
            const viaProvider = await constructThroughProvider("orders", {});
            const viaTypeScript = await constructInTypeScript("orders", {});
            await expectSameGraph(viaProvider.resources, viaTypeScript.resources);
            expect(viaProvider.urn).to.equal(findResource(viaTypeScript.resources, ORDER_PIPELINE_TYPE, "orders").urn);
            const required = Object.keys(EXPECTED_OUTPUTS).filter((n) => !EXPECTED_OUTPUTS[n].optional);
            expectOutputs(viaProvider.state, viaProvider.resources, required);
            for (const name of Object.keys(EXPECTED_OUTPUTS).filter((n) => EXPECTED_OUTPUTS[n].optional)) expect(viaProvider.state[name], name).to.equal(undefined);
        });

        it("should build the all-options pipeline of examples/yaml from its properties, as the TypeScript example does", async () => {
            const yamlProgram = readYamlExample(ORDER_PIPELINE_TYPE);
            const wire = toWire(schema, schema.resources[ORDER_PIPELINE_TYPE].inputProperties, yamlProgram.args, SCHEMA_NAMES);
            const tsProgram = readTypeScriptExample();
            const tsArgs = resolveEnums(tsProgram.args) as OrderPipelineArgs;

            const viaProvider = await constructThroughProvider(yamlProgram.name, wire);
            const viaTypeScript = await constructInTypeScript(tsProgram.name, tsArgs);
            await expectSameGraph(viaProvider.resources, viaTypeScript.resources);
            // Every option is on: every optional output is there too.
            expectOutputs(viaProvider.state, viaProvider.resources, Object.keys(EXPECTED_OUTPUTS));
            const types = new Set(viaProvider.resources.map((r) => r.type));
            for (const type of ["aws:cloudwatch/eventBus:EventBus", "aws:cognito/userPool:UserPool", "aws:sfn/stateMachine:StateMachine", "aws:sesv2/emailIdentity:EmailIdentity"]) {
                expect(types, type).to.include(type);
            }
        });

        it("should take an Input<string> that is another resource's output, and build what the plain value builds", async () => {
            const kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            const viaProvider = await constructThroughProvider("orders", {
                encryption: { kmsKeyArn: outputValue(kmsKeyArn, "urn:pulumi:dev::order-pipeline::aws:kms/key:Key::orders-key") },
                tags: { team: "shop" },
            });
            const viaTypeScript = await constructInTypeScript("orders", { encryption: { kmsKeyArn }, tags: { team: "shop" } });
            await expectSameGraph(viaProvider.resources, viaTypeScript.resources);
            expect(findResource(viaProvider.resources, "aws:sqs/queue:Queue", "orders-queue").inputs.kmsMasterKeyId).to.equal(kmsKeyArn);
        });

        it("should refuse an output of another resource where a plain value decides the graph, naming the argument, and build nothing", async () => {
            const inputs = await deserializeInputs(
                Struct.fromJavaScript({ functions: { memoryMb: outputValue("512", "urn:pulumi:dev::order-pipeline::random:index/randomInteger:RandomInteger::size") } }),
                new Map(),
            );
            const attempt = recordProgram(() => provider.construct("orders", ORDER_PIPELINE_TYPE, inputs as pulumi.Inputs, TOP_LEVEL_OPTIONS));
            const error = await attempt.then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(error).to.be.instanceOf(OrderPipelineArgsError);
            expect((error as OrderPipelineArgsError).problems).to.have.length(1);
            expect((error as OrderPipelineArgsError).problems[0]).to.match(/^functions\.memoryMb must be a plain value known before deployment/);
        });

        it("should refuse a whole option that arrives as one output (as an engine without output values sends it), naming it", async () => {
            const inputs = await deserializeInputs(Struct.fromJavaScript({ email: { sender: "orders@example.com" } }), new Map([["email", { getUrnsList: () => ["urn:pulumi:dev::order-pipeline::aws:sesv2/emailIdentity:EmailIdentity::x"] }]]));
            expect(pulumi.Output.isInstance(inputs.email)).to.equal(true);
            const error = await recordProgram(() => provider.construct("orders", ORDER_PIPELINE_TYPE, inputs as pulumi.Inputs, TOP_LEVEL_OPTIONS)).then(
                () => undefined,
                (e: unknown) => e,
            );
            expect((error as OrderPipelineArgsError).problems).to.deep.equal([(error as OrderPipelineArgsError).problems[0]]);
            expect((error as OrderPipelineArgsError).problems[0]).to.match(/^email must be a plain value/);
        });
    });

    describe("the examples", () => {
        const inputsOf = () => schema.resources[ORDER_PIPELINE_TYPE].inputProperties;
        const expectOutputsKnown = (program: ExampleProgram, nameOf: (n: string) => string) => {
            const known = Object.keys(EXPECTED_OUTPUTS).map(nameOf);
            for (const output of program.outputs) expect(known, `output ${output}`).to.include(output);
            expect(program.outputs).to.have.length.above(3);
        };

        it("examples/yaml: should use the package's type token, schema names and enum values, and load the package from this repository", () => {
            const program = readYamlExample(ORDER_PIPELINE_TYPE);
            expect(() => toWire(schema, inputsOf(), program.args, SCHEMA_NAMES)).not.to.throw();
            expectOutputsKnown(program, SCHEMA_NAMES);
            expect(program.packages).to.deep.equal({ "order-pipeline": "../.." });
            expect(fs.existsSync(path.join(EXAMPLES, "yaml", program.packages["order-pipeline"], "PulumiPlugin.yaml"))).to.equal(true);
        });

        it("examples/python: should compile, use the schema's names in Python's snake_case, and give the same arguments as the YAML example", () => {
            const cache = fs.mkdtempSync(path.join(os.tmpdir(), "order-pipeline-pycache-"));
            try {
                execFileSync("python3", ["-m", "py_compile", path.join(EXAMPLES, "python/__main__.py")], { env: { ...process.env, PYTHONPYCACHEPREFIX: cache }, stdio: "pipe" });
            } finally {
                fs.rmSync(cache, { recursive: true, force: true });
            }
            const program = readPythonExample();
            const wire = toWire(schema, inputsOf(), program.args, PYTHON_NAMES);
            expect(wire).to.deep.equal(toWire(schema, inputsOf(), readYamlExample(ORDER_PIPELINE_TYPE).args, SCHEMA_NAMES));
            expectOutputsKnown(program, pythonName);
            const project = yaml.load(fs.readFileSync(path.join(EXAMPLES, "python/Pulumi.yaml"), "utf8")) as any;
            expect(project.packages).to.deep.equal({ "order-pipeline": "../.." });
            expect(fs.readFileSync(path.join(EXAMPLES, "python/requirements.txt"), "utf8")).to.match(/^pulumi>=/m);
        });

        it("examples/typescript: should use the schema's names and give the same arguments as the YAML example", () => {
            const program = readTypeScriptExample();
            const wire = toWire(schema, inputsOf(), program.args, SCHEMA_NAMES);
            expect(wire).to.deep.equal(toWire(schema, inputsOf(), readYamlExample(ORDER_PIPELINE_TYPE).args, SCHEMA_NAMES));
            expectOutputsKnown(program, SCHEMA_NAMES);
        });
    });
});
