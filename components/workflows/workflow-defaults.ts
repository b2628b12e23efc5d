/**
 * What the state machine definitions and roles are built with: the Task retry policy, the
 * shipment queue's retention, the shipment message version and the log-delivery actions. The
 * option's arguments and their defaults are in `contract/options/workflows.ts`.
 */
import { DLQ_RETENTION_SECONDS } from "../../contract/defaults";

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

/**
 * The version of the messages the warehouse receives on the shipment-requests queue. Version 2
 * carries no items, address or name: the warehouse reads them from the order.
 */
export const SHIPMENT_REQUEST_VERSION = 2;

/** The `type` of a shipment request. */
export const SHIPMENT_REQUEST_TYPE = "ShipmentRequested";

/** The `type` of a cancellation: the order was refunded before it shipped; do not ship it. */
export const SHIPMENT_CANCELLED_TYPE = "ShipmentCancelled";

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
