/** Step Functions state machine rules: execution logging, and error handling in the definition. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { catchesAll, CATCH_ALL_ERROR, type Catcher } from "../components/workflows/asl";
import { parseJsonObject } from "./support/json-object";
import { isUnknown } from "./support/preview-values";
import { AwsType } from "./support/resource-types";
import { quote, quoteAll, readProperty, validateTypes } from "./support/validation";

/** The type token of a state machine (`aws.sfn.StateMachine`). */
export const SFN_STATE_MACHINE_TYPE = AwsType.sfnStateMachine;

/** Log levels that record failed executions. */
const LOGGING_LEVELS = ["ALL", "ERROR", "FATAL"];

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value) && !isUnknown(value);
}

/**
 * State machines log their executions to CloudWatch Logs, without execution data (inputs and
 * outputs carry the customer's name, address and email) unless the config allows it.
 */
export const sfnStateMachineLogging: ResourceValidationPolicy = {
    name: "sfn-state-machine-logging",
    description:
        "Checks that Step Functions state machines log executions to CloudWatch Logs (level ALL, ERROR or FATAL, and a log group destination) and leave execution data out of the logs unless allowExecutionData is set.",
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["stepfunctions", "logging", "privacy"],
    configSchema: {
        properties: {
            allowExecutionData: {
                type: "boolean",
                default: false,
                description: "Allow includeExecutionData: true (inputs and outputs in the logs, personal data included).",
            },
        },
    },
    validateResource: validateTypes([SFN_STATE_MACHINE_TYPE], (args, report, undecided) => {
        const where = `state machine ${quote(args.name)}`;
        const logging = readProperty(args.props, "loggingConfiguration");
        if (isUnknown(logging)) return undecided.note(logging);
        if (!isObject(logging)) {
            report(`Configure loggingConfiguration on ${where}: level ERROR (or ALL or FATAL) and logDestination "<log group ARN>:*"; without it failed executions leave no log.`);
            return;
        }
        const { level, logDestination, includeExecutionData } = logging;
        if (isUnknown(level)) undecided.note(level);
        else if (typeof level !== "string" || !LOGGING_LEVELS.includes(level)) {
            report(`Set loggingConfiguration.level on ${where} to ERROR, ALL or FATAL instead of ${quote(String(level ?? "OFF"))}: failed executions must leave a log.`);
        }
        if (isUnknown(logDestination)) undecided.note(logDestination);
        else if (typeof logDestination !== "string" || !/^arn:[\w-]+:logs:.+:log-group:.+:\*$/.test(logDestination)) {
            report(`Set loggingConfiguration.logDestination on ${where} to a CloudWatch log group ARN ending in ":*".`);
        }
        const allowed = args.getConfig<{ allowExecutionData?: boolean }>().allowExecutionData === true;
        if (isUnknown(includeExecutionData)) undecided.note(includeExecutionData);
        else if (includeExecutionData === true && !allowed) {
            report(`Set loggingConfiguration.includeExecutionData to false on ${where}: execution inputs and outputs carry personal data (or set allowExecutionData in this policy's config).`);
        }
    }),
};

/**
 * Whether a Task retries every error it can retry (`States.ALL` or `States.TaskFailed`, at least
 * once): what is left after the retries fails the execution AT that Task, where RedriveExecution
 * resumes it. A Catch to a Fail state instead would make a redrive resume at the Fail state.
 */
function retriesTaskErrors(retry: unknown): boolean {
    if (!Array.isArray(retry)) return false;
    return retry.some(
        (r) => isObject(r) && Array.isArray(r.ErrorEquals) && r.ErrorEquals.some((e) => e === CATCH_ALL_ERROR || e === "States.TaskFailed") && r.MaxAttempts !== 0,
    );
}

/**
 * The Task states (by path: `Name`, or `Parallel/branch 1/Name`, `Map/Name`) that neither end
 * their Catch list with `States.ALL` nor retry every task error, searched through Parallel
 * branches and Map processors.
 */
export function tasksWithoutCatchAll(states: unknown, prefix = ""): string[] {
    if (!isObject(states)) return [];
    const found: string[] = [];
    for (const [name, state] of Object.entries(states)) {
        if (!isObject(state)) continue;
        const path = `${prefix}${name}`;
        if (state.Type === "Task" && !catchesAll(state.Catch as Catcher[] | undefined) && !retriesTaskErrors(state.Retry)) found.push(path);
        if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
            state.Branches.forEach((branch, i) => found.push(...tasksWithoutCatchAll(isObject(branch) ? branch.States : undefined, `${path}/branch ${i + 1}/`)));
        }
        if (state.Type === "Map") {
            const processor = isObject(state.ItemProcessor) ? state.ItemProcessor : state.Iterator;
            found.push(...tasksWithoutCatchAll(isObject(processor) ? processor.States : undefined, `${path}/`));
        }
    }
    return found;
}

/**
 * Every Task of a definition handles every error: it catches `States.ALL` into the workflow's
 * failure path, or retries every task error so that what is left fails the execution at the Task
 * (the alarms count it; RedriveExecution runs the Task again).
 */
export const sfnTasksCatchErrors: ResourceValidationPolicy = {
    name: "sfn-tasks-catch-errors",
    description: `Checks that every Task state of a Step Functions definition, including those in Parallel branches and Map processors, ends its Catch list with ${CATCH_ALL_ERROR} or retries States.TaskFailed (the failure then stops at the Task, where a redrive resumes).`,
    enforcementLevel: "mandatory",
    severity: "medium",
    tags: ["stepfunctions", "reliability"],
    validateResource: validateTypes([SFN_STATE_MACHINE_TYPE], (args, report, undecided) => {
        const where = `state machine ${quote(args.name)}`;
        const definition = readProperty(args.props, "definition");
        if (isUnknown(definition)) return undecided.note(definition);
        const parsed = parseJsonObject(definition);
        if (typeof parsed === "string") {
            report(`Fix the definition of ${where}: ${parsed}.`);
            return;
        }
        const missing = tasksWithoutCatchAll(parsed.States);
        if (missing.length > 0) {
            report(
                `Add a Retry on States.TaskFailed (so that a failure stops at the Task, for a redrive) or a Catch on ${CATCH_ALL_ERROR} (last in its Catch list) leading to a failure path to Task state${missing.length === 1 ? "" : "s"} ${quoteAll(missing)} of ${where}.`,
            );
        }
    }),
};

/** The Step Functions rules. */
/** State machines trace their executions with X-Ray; advisory, since tracing is a cost choice (OrderPipeline's `tracing`). */
export const sfnStateMachineTracing: ResourceValidationPolicy = {
    name: "sfn-state-machine-tracing",
    description: "Checks that Step Functions state machines trace executions with AWS X-Ray (tracingConfiguration.enabled).",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["stepfunctions", "observability"],
    validateResource: validateTypes([SFN_STATE_MACHINE_TYPE], (args, report, undecided) => {
        const tracing = readProperty(args.props, "tracingConfiguration");
        const enabled = isObject(tracing) ? tracing.enabled : isUnknown(tracing) ? tracing : undefined;
        if (isUnknown(enabled)) return undecided.note(enabled);
        if (enabled !== true) {
            report(`Trace the executions of state machine ${quote(args.name)} with X-Ray: set tracingConfiguration.enabled to true (with OrderPipeline, \`tracing: true\`).`);
        }
    }),
};

/** The Step Functions rules, in the order the pack lists them. */
export const stepFunctionsPolicies: readonly ResourceValidationPolicy[] = [sfnStateMachineLogging, sfnTasksCatchErrors, sfnStateMachineTracing];
