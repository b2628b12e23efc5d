/**
 * The notification states both workflows end with: an event on the pipeline's EventBridge bus
 * (`events:putEvents`) and/or an email to the customer (`aws-sdk:sesv2:sendEmail`).
 */
import { ORDER_EVENT_SOURCE, ORDER_EVENT_VERSION } from "../../handlers/events/order-events";
import { CATCH_ALL_ERROR, type FailState, type PayloadTemplate, type TaskState } from "./asl";
import { catchTo, retryTransient, TASK_FAILED } from "./task-errors";

/** Where notifications go; either may be absent. */
export interface NotifyRefs {
    /** Name of the EventBridge bus to publish on; no event when absent. */
    readonly eventBusName?: string;
    /** The SES sender to email the customer as; no email when absent. */
    readonly email?: {
        /** The From address (the role may send only as this address). */
        readonly sender: string;
        /** The SES identity that authorizes the sender, when it is not the sender's own identity. */
        readonly identityArn?: string;
    };
}

/** What one workflow announces. */
export interface NotifySpec {
    readonly detailType: "OrderShipped" | "OrderRefunded";
    /** The detail's members beyond the common ones (eventId, version, orderId, occurredAt). */
    readonly detail: PayloadTemplate;
    /** Path of the time the fact became true (the detail's `occurredAt`). */
    readonly occurredAtPath: string;
    /** Path of the customer's email address. */
    readonly recipientPath: string;
    readonly subject: string;
    /** An intrinsic function (`States.Format(...)`) that renders the plain-text body. */
    readonly bodyExpression: string;
    /** The state after the last notification. */
    readonly next: string;
    /** The Fail state a notification failure goes to once retries are spent (added only when there is a notification). */
    readonly onError: string;
    /** The Cause of that Fail state. */
    readonly failureCause: string;
}

/** State names of the notifications. */
export const NOTIFY_STATES = { event: "PublishEvent", email: "EmailCustomer" } as const;

/**
 * The notification states (event first, then email) with their Fail state, and the name of the
 * first one, or `next` when there is none (then no states at all).
 */
export function notifyStates(refs: NotifyRefs, spec: NotifySpec, partition: string): { first: string; states: Record<string, TaskState | FailState> } {
    const order: { name: string; build: (next: string) => TaskState }[] = [];
    const handling = { Retry: [retryTransient([TASK_FAILED])], Catch: [catchTo([CATCH_ALL_ERROR], spec.onError)] } as const;
    if (refs.eventBusName !== undefined) {
        const busName = refs.eventBusName;
        order.push({
            name: NOTIFY_STATES.event,
            build: (next) => ({
                Type: "Task",
                Comment: `Publishes ${spec.detailType}; its eventId is the same on a retry, so consumers can dedupe.`,
                Resource: `arn:${partition}:states:::events:putEvents`,
                Parameters: {
                    Entries: [
                        {
                            EventBusName: busName,
                            Source: ORDER_EVENT_SOURCE,
                            DetailType: spec.detailType,
                            Detail: {
                                "eventId.$": `States.Format('${spec.detailType}:{}', $.orderId)`,
                                version: ORDER_EVENT_VERSION,
                                "orderId.$": "$.orderId",
                                "occurredAt.$": spec.occurredAtPath,
                                ...spec.detail,
                            },
                        },
                    ],
                },
                ResultPath: null,
                ...handling,
                Next: next,
            }),
        });
    }
    if (refs.email !== undefined) {
        const { sender, identityArn } = refs.email;
        order.push({
            name: NOTIFY_STATES.email,
            build: (next) => ({
                Type: "Task",
                Comment: "Emails the customer (SES v2 SendEmail, plain text).",
                Resource: `arn:${partition}:states:::aws-sdk:sesv2:sendEmail`,
                Parameters: {
                    FromEmailAddress: sender,
                    ...(identityArn === undefined ? {} : { FromEmailAddressIdentityArn: identityArn }),
                    Destination: { "ToAddresses.$": `States.Array(${spec.recipientPath})` },
                    Content: {
                        Simple: {
                            Subject: { Data: spec.subject, Charset: "UTF-8" },
                            Body: { Text: { "Data.$": spec.bodyExpression, Charset: "UTF-8" } },
                        },
                    },
                },
                ResultPath: null,
                ...handling,
                Next: next,
            }),
        });
    }
    const states: Record<string, TaskState | FailState> = {};
    order.forEach((step, index) => {
        states[step.name] = step.build(order[index + 1]?.name ?? spec.next);
    });
    if (order.length > 0) states[spec.onError] = { Type: "Fail", Error: "NotifyFailed", Cause: spec.failureCause };
    return { first: order[0]?.name ?? spec.next, states };
}
