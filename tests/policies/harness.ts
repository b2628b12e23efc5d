/**
 * Runs the pack's rules the way the policy server does, without a server or a Pulumi CLI: it builds
 * the argument bags the server passes (`ResourceValidationArgs`, `StackValidationArgs`), wraps the
 * properties in the server's own unknown-checking proxy, fills and validates config from each
 * policy's schema as the CLI does, and turns what the server would catch (unknown values during
 * preview, "not applicable") into an outcome.
 */
import type {
    Policy,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";

/** The server's proxy and its error, exported at run time by `@pulumi/policy` but absent from its typings. */
const { unknownCheckingProxy, UnknownValueError } = policySdk as unknown as {
    unknownCheckingProxy<T extends object>(value: T): T;
    UnknownValueError: new (...args: never[]) => Error;
};

/** The sentinels the engine sends for values not known during preview (`@pulumi/policy/proxy`). */
const sentinels = require("@pulumi/policy/proxy") as Record<string, string>;

/** Values unknown during preview, by type, as the engine marks them. */
export const UNKNOWN = {
    string: sentinels.unknownStringValue,
    number: sentinels.unknownNumberValue,
    boolean: sentinels.unknownBooleanValue,
    array: sentinels.unknownArrayValue,
    object: sentinels.unknownObjectValue,
} as const;

/** One reported violation. */
export interface Violation {
    readonly message: string;
    /** The resource a stack rule named (resource rules always concern the resource validated). */
    readonly urn?: string;
}

/** What running a policy produced. */
export interface Outcome {
    readonly violations: Violation[];
    /** The advisory note the server adds when the rule needed a value not known during preview. */
    previewNote?: string;
    /** Why the policy said it does not apply, if it did. */
    notApplicable?: string;
}

class NotApplicable extends Error {}

/**
 * A deep copy of plain data (arrays and plain objects), keeping other objects (assets, archives)
 * as they are: what the server hands a rule is a fresh deserialization of the resource's values.
 */
export function copyPlain<T>(value: T): T {
    if (Array.isArray(value)) return value.map(copyPlain) as T;
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyPlain(v)])) as T;
    }
    return value;
}

/** The URN the engine would give a resource of this type and name in stack `dev` of `order-pipeline`. */
export function urnOf(type: string, name: string): string {
    return `urn:pulumi:dev::order-pipeline::${type}::${name}`;
}

const noOptions: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** The type token a resource class carries (what the server compares against). */
function tokenOf(resourceClass: unknown): string | undefined {
    return (resourceClass as { __pulumiType?: string } | undefined)?.__pulumiType;
}

/** Each policy's default config, once validated: a whole pack over a stack asks for it thousands of times. */
const defaultConfigs = new WeakMap<Policy, Record<string, unknown>>();

/**
 * The config the CLI would hand a policy: each property's schema default, overridden by `given`,
 * validated against the policy's schema. Throws, as the CLI refuses to run, when it is invalid.
 */
export async function resolveConfig(policy: Policy, given: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (Object.keys(given).length > 0) return validConfig(policy, given);
    let defaults = defaultConfigs.get(policy);
    if (!defaults) defaultConfigs.set(policy, (defaults = await validConfig(policy, given)));
    // A copy: a rule may change what it is given without changing what the next one gets.
    return copyPlain(defaults);
}

async function validConfig(policy: Policy, given: Record<string, unknown>): Promise<Record<string, unknown>> {
    const schema = policy.configSchema;
    if (!schema) {
        if (Object.keys(given).length > 0) throw new Error(`policy ${policy.name} takes no config`);
        return {};
    }
    const config: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties)) {
        if (typeof property === "object" && property.default !== undefined) config[key] = copyPlain(property.default);
    }
    Object.assign(config, given);
    const { Check } = await import("typebox/schema");
    const objectSchema = { type: "object", properties: schema.properties, ...(schema.required ? { required: schema.required } : {}) };
    if (!Check(objectSchema as never, config)) throw new Error(`invalid config for ${policy.name}: ${JSON.stringify(config)}`);
    return config;
}

/** Runs one validation function as the server does and records what it reports or throws. */
async function runValidation(
    policyName: string,
    run: (report: (message: string, urn?: string) => void) => unknown,
    outcome: Outcome,
): Promise<void> {
    try {
        await run((message, urn) => outcome.violations.push(urn === undefined ? { message } : { message, urn }));
    } catch (error) {
        if (error instanceof UnknownValueError) {
            outcome.previewNote = `can't run policy '${policyName}' during preview: ${error.message}`;
        } else if (error instanceof NotApplicable) {
            outcome.notApplicable = error.message;
        } else {
            throw error;
        }
    }
}

/** A resource as a resource rule sees it: its inputs. */
export interface ResourceUnderTest {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly urn?: string;
    readonly parent?: string;
}

/** Runs a resource policy on one resource, as the server's `Analyze` call does. */
export async function runResourcePolicy(
    policy: Policy,
    resource: ResourceUnderTest,
    config: Record<string, unknown> = {},
): Promise<Outcome> {
    const validateResource = (policy as ResourceValidationPolicy).validateResource;
    if (!validateResource) throw new Error(`${policy.name} is not a resource policy`);
    const resolved = await resolveConfig(policy, config);
    const outcome: Outcome = { violations: [] };
    const validations: ResourceValidation[] = Array.isArray(validateResource) ? validateResource : [validateResource];
    // The server skips a single typed validation for other types without calling it.
    const token = !Array.isArray(validateResource) ? tokenOf(validateResource) : undefined;
    if (token !== undefined && token !== resource.type) {
        outcome.notApplicable = `Policy only applies to resources of type '${token}'`;
        return outcome;
    }
    for (const validation of validations) {
        // The server deserializes the properties afresh for every validation.
        const props = unknownCheckingProxy(copyPlain(resource.props));
        const args: ResourceValidationArgs = {
            type: resource.type,
            props,
            urn: resource.urn ?? urnOf(resource.type, resource.name),
            name: resource.name,
            opts: resource.parent ? { ...noOptions, parent: resource.parent } : noOptions,
            stackTags: new Map(),
            isType: (resourceClass) => tokenOf(resourceClass) === resource.type,
            asType: ((resourceClass: unknown) => (tokenOf(resourceClass) === resource.type ? props : undefined)) as ResourceValidationArgs["asType"],
            getConfig: <T extends object>() => resolved as T,
            notApplicable: (reason?: string): never => {
                throw new NotApplicable(reason ?? "Policy does not apply");
            },
        };
        await runValidation(policy.name, (report) => validation(args, report), outcome);
    }
    return outcome;
}

/** A resource as a stack rule sees it: its resolved outputs, and what they were computed from. */
export interface StackResourceUnderTest {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly urn?: string;
    /** URN of the parent, if any. */
    readonly parent?: string;
    /** URNs, or names of other resources under test, this resource depends on. */
    readonly dependencies?: readonly string[];
    /** Per property, URNs or names of the resources it was computed from. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** Runs a stack policy over the resources, as the server's `AnalyzeStack` call does. */
export async function runStackPolicy(
    policy: Policy,
    resources: readonly StackResourceUnderTest[],
    config: Record<string, unknown> = {},
): Promise<Outcome> {
    const validateStack = (policy as StackValidationPolicy).validateStack;
    if (!validateStack) throw new Error(`${policy.name} is not a stack policy`);
    const resolved = await resolveConfig(policy, config);
    const outcome: Outcome = { violations: [] };
    const token = tokenOf(validateStack);
    if (token !== undefined && !resources.some((r) => r.type === token)) {
        outcome.notApplicable = `Policy only applies to resources of type '${token}'`;
        return outcome;
    }
    const policyResources = resources.map((r): PolicyResource => {
        const props = unknownCheckingProxy(copyPlain(r.props));
        return {
            type: r.type,
            name: r.name,
            urn: r.urn ?? urnOf(r.type, r.name),
            props,
            opts: r.parent ? { ...noOptions, parent: r.parent } : noOptions,
            dependencies: [],
            propertyDependencies: {},
            isType: (resourceClass) => tokenOf(resourceClass) === r.type,
            asType: ((resourceClass: unknown) => (tokenOf(resourceClass) === r.type ? props : undefined)) as PolicyResource["asType"],
        };
    });
    const find = (reference: string): PolicyResource => {
        const found = policyResources.find((r) => r.urn === reference) ?? policyResources.find((r) => r.name === reference);
        if (!found) throw new Error(`no resource under test is named or has the URN ${reference}`);
        return found;
    };
    resources.forEach((r, i) => {
        const resource = policyResources[i];
        if (r.parent) {
            const parent = policyResources.find((p) => p.urn === r.parent);
            if (parent) resource.parent = parent;
        }
        resource.dependencies = (r.dependencies ?? []).map(find);
        for (const [property, references] of Object.entries(r.propertyDependencies ?? {})) {
            resource.propertyDependencies[property] = references.map(find);
        }
    });
    const args: StackValidationArgs = {
        resources: policyResources,
        stackTags: new Map(),
        getConfig: <T extends object>() => resolved as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason ?? "Policy does not apply");
        },
    };
    await runValidation(policy.name, (report) => validateStack(args, report), outcome);
    return outcome;
}

/** The violation messages of an outcome. */
export function messages(outcome: Outcome): string[] {
    return outcome.violations.map((v) => v.message);
}
