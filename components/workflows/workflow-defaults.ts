/**
 * Defaults of the shipping and refund workflows. Pure data, no AWS import (the definitions, the
 * component and the tests share them).
 */
import { DLQ_RETENTION_SECONDS } from "../defaults";

/** Seconds the shipping workflow waits for the warehouse's callback before failing: 7 days. */
export const SHIPMENT_TIMEOUT_SECONDS = 7 * 24 * 3600;

/**
 * Longest shipment timeout accepted: one year, the longest a Standard workflow execution may run
 * (Step Functions quota "Maximum execution time").
 */
export const MAX_SHIPMENT_TIMEOUT_SECONDS = 365 * 24 * 3600;

/** Shortest shipment timeout accepted: a warehouse cannot answer sooner in any real sense. */
export const MIN_SHIPMENT_TIMEOUT_SECONDS = 60;

/** The execution log levels offered (OFF is not: a workflow's failures must be on record). */
export const WORKFLOW_LOG_LEVELS = ["ERROR", "ALL", "FATAL"] as const;

/** One of {@link WORKFLOW_LOG_LEVELS}. */
export type WorkflowLogLevel = (typeof WORKFLOW_LOG_LEVELS)[number];

/** Execution log level by default: failures only, which is what an operator needs. */
export const WORKFLOW_LOG_LEVEL: WorkflowLogLevel = "ERROR";

/**
 * How every Task retries a transient error: 2 s, then doubling, at most 30 s apart, 4 retries,
 * each interval randomised ("full jitter") so that executions failing together do not retry in
 * lock-step (Step Functions "Retrying after an error").
 */
export const TASK_RETRY = {
    IntervalSeconds: 2,
    MaxAttempts: 4,
    BackoffRate: 2,
    MaxDelaySeconds: 30,
    JitterStrategy: "FULL",
} as const;

/**
 * Seconds the shipment-requests queue keeps a message: the SQS maximum of 14 days (as the DLQs), so that a
 * request outlives the default shipment timeout even if the warehouse is down for days.
 */
export const SHIPMENT_QUEUE_RETENTION_SECONDS = DLQ_RETENTION_SECONDS;

/** The version of the shipment request message the warehouse receives. */
export const SHIPMENT_REQUEST_VERSION = 1;

/**
 * What Step Functions requires of an execution role whose state machine logs to CloudWatch Logs
 * (Step Functions Developer Guide, "Logging using CloudWatch Logs": "IAM policies for logging to
 * CloudWatch Logs"). Step Functions sets up a vended-log delivery to the log group with these, and
 * the Logs service, not the role, writes the events. The guide grants them on `"*"`: the
 * `*LogDelivery` actions have no resource type in the Service Authorization Reference, and the
 * resource-policy actions are account-wide.
 */
export const LOG_DELIVERY_ACTIONS: readonly string[] = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];
