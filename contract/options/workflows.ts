/**
 * The `workflows` option's arguments: their types, defaults and resolution. Pure: the state
 * machines are made by `components/workflows/`.
 */
import type { NumberSetting } from "../defaults";
import { integerRange, Problems } from "../problems";

/** The number settings of the `workflows` option, with their defaults and ranges. */
export const WORKFLOWS_SETTINGS = {
    /**
     * Seconds the shipping workflow waits for the warehouse's callback before failing: 7 days. At
     * least a minute (a warehouse cannot answer sooner in any real sense), at most one year, the
     * longest a Standard workflow execution may run (Step Functions quota "Maximum execution time").
     */
    shipmentTimeoutSeconds: { default: 7 * 24 * 3600, ...integerRange(60, 365 * 24 * 3600, " (a Standard workflow runs at most one year)") },
} as const satisfies Record<string, NumberSetting>;

/** Seconds the shipping workflow waits for the warehouse's callback by default. */
export const SHIPMENT_TIMEOUT_SECONDS = WORKFLOWS_SETTINGS.shipmentTimeoutSeconds.default;

/**
 * Which execution events go to the workflows' log group (OFF is not offered: a workflow's failures
 * must be on record). An object `as const` beside the type of its values: Pulumi's schema inference
 * turns this pattern into an enum for the other languages.
 */
export const WorkflowLogLevel = {
    /** Failed executions and failed states. */
    ERROR: "ERROR",
    /** Every execution event. */
    ALL: "ALL",
    /** Only executions that failed, timed out or were aborted. */
    FATAL: "FATAL",
} as const;

/** One of {@link WorkflowLogLevel}'s values: `"ERROR"`, `"ALL"` or `"FATAL"`. */
export type WorkflowLogLevel = (typeof WorkflowLogLevel)[keyof typeof WorkflowLogLevel];

/** The execution log levels offered, for validation. */
export const WORKFLOW_LOG_LEVELS: readonly WorkflowLogLevel[] = Object.values(WorkflowLogLevel);

/** Execution log level by default: failures only, which is what an operator needs. */
export const WORKFLOW_LOG_LEVEL: WorkflowLogLevel = "ERROR";

/** Shipping and refund workflows. Off unless this object is given. */
export interface WorkflowsArgs {
    /**
     * Seconds the shipping workflow waits for the warehouse to answer a shipment request
     * (SendTaskSuccess or SendTaskFailure) before failing with ShipmentTimedOut; 60 to 31536000.
     * Defaults to 604800 (7 days, `SHIPMENT_TIMEOUT_SECONDS`).
     */
    readonly shipmentTimeoutSeconds?: number;
    /**
     * Which execution events go to the workflows' log group: "ERROR", "ALL" or "FATAL" (execution
     * data is never logged: orders carry personal data). Defaults to "ERROR".
     */
    readonly logLevel?: WorkflowLogLevel;
}

/** {@link WorkflowsArgs} with every default applied. */
export interface WorkflowsSettings {
    readonly shipmentTimeoutSeconds: number;
    readonly logLevel: WorkflowLogLevel;
}

/**
 * Applies the defaults of {@link WorkflowsArgs} and validates them. Returns the settings and every
 * problem, each naming its argument (`workflows.<field> ...`); the caller reports them together.
 */
export function resolveWorkflowsArgs(args: WorkflowsArgs): { settings: WorkflowsSettings; problems: string[] } {
    const settings: WorkflowsSettings = {
        shipmentTimeoutSeconds: args.shipmentTimeoutSeconds ?? SHIPMENT_TIMEOUT_SECONDS,
        logLevel: args.logLevel ?? WORKFLOW_LOG_LEVEL,
    };
    const problems = new Problems();
    problems.range("workflows.shipmentTimeoutSeconds", settings.shipmentTimeoutSeconds, WORKFLOWS_SETTINGS.shipmentTimeoutSeconds);
    problems.oneOf("workflows.logLevel", settings.logLevel, WORKFLOW_LOG_LEVELS, " (OFF would hide failed executions)");
    return { settings, problems: problems.list };
}
