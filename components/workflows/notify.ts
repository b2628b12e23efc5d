/**
 * The notification states both workflows end with: an event on the pipeline's EventBridge bus
 * (`events:putEvents`) and/or an email to the customer (`aws-sdk:sesv2:sendEmail`).
 */
import { ORDER_EVENT_SOURCE, ORDER_EVENT_VERSION } from "../../handlers/events/order-events";
import { TABLE_KEY } from "../../contract/defaults";
import type { PayloadTemplate, TaskState } from "./asl";
import { retryAllBut } from "./task-errors";

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
    /**
     * Path of the time the fact became true, as stored by the status write (the detail's
     * `occurredAt` and the event's `Time`): read from the table, so a retry or a redrive publishes
     * the same time.
     */
    readonly occurredAtPath: string;
    /** The orders table, where the email state reads the customer's address. */
    readonly tableName: string;
    readonly subject: string;
    /** An intrinsic function (`States.Format(...)`) that renders the plain-text body (no name, no address in it). */
    readonly bodyExpression: string;
    /** The state after the last notification. */
    readonly next: string;
}

/** State names of the notifications. */
export const NOTIFY_STATES = { event: "PublishEvent", recipient: "ReadRecipient", email: "EmailCustomer" } as const;

/**
 * Where the recipient's address goes (the only personal data a workflow handles: SES needs it);
 * the email state overwrites it with SES's message id, so no later state carries it.
 */
const RECIPIENT = "$.recipient";

/**
 * The notification states (event first, then email) and the name of the first one, or `next`
 * when there is none (then no states at all). Every error is retried with backoff; one left after
 * the retries fails the execution at that Task, so that a redrive sends it again.
 */
export function notifyStates(refs: NotifyRefs, spec: NotifySpec, partition: string): { first: string; states: Record<string, TaskState> } {
    const order: { name: string; build: (next: string) => TaskState }[] = [];
    const handling = { Retry: retryAllBut([]) } as const;
    if (refs.eventBusName !== undefined) {
        const busName = refs.eventBusName;
        order.push({
            name: NOTIFY_STATES.event,
            build: (next) => ({
                Type: "Task",
                Comment: `Publishes ${spec.detailType}; its eventId and Time are the same on a retry or a redrive, so consumers can dedupe.`,
                Resource: `arn:${partition}:states:::events:putEvents`,
                Parameters: {
                    Entries: [
                        {
                            EventBusName: busName,
                            Source: ORDER_EVENT_SOURCE,
                            DetailType: spec.detailType,
                            "Time.$": spec.occurredAtPath,
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
            name: NOTIFY_STATES.recipient,
            build: (next) => ({
                Type: "Task",
                Comment: "Reads the customer's email address alone from the order (nothing else personal enters the history).",
                Resource: `arn:${partition}:states:::dynamodb:getItem`,
                Parameters: {
                    TableName: spec.tableName,
                    Key: { [TABLE_KEY]: { "S.$": "$.orderId" } },
                    ProjectionExpression: "#order.#customer.#email",
                    ExpressionAttributeNames: { "#order": "order", "#customer": "customer", "#email": "email" },
                    ConsistentRead: true,
                },
                ResultSelector: { "address.$": "$.Item.order.M.customer.M.email.S" },
                ResultPath: RECIPIENT,
                ...handling,
                Next: next,
            }),
        });
        order.push({
            name: NOTIFY_STATES.email,
            build: (next) => ({
                Type: "Task",
                Comment: "Emails the customer (SES v2 SendEmail, plain text).",
                Resource: `arn:${partition}:states:::aws-sdk:sesv2:sendEmail`,
                Parameters: {
                    FromEmailAddress: sender,
                    ...(identityArn === undefined ? {} : { FromEmailAddressIdentityArn: identityArn }),
                    Destination: { "ToAddresses.$": `States.Array(${RECIPIENT}.address)` },
                    Content: {
                        Simple: {
                            Subject: { Data: spec.subject, Charset: "UTF-8" },
                            Body: { Text: { "Data.$": spec.bodyExpression, Charset: "UTF-8" } },
                        },
                    },
                },
                ResultSelector: { "messageId.$": "$.MessageId" },
                ResultPath: RECIPIENT,
                ...handling,
                Next: next,
            }),
        });
    }
    const states: Record<string, TaskState> = {};
    order.forEach((step, index) => {
        states[step.name] = step.build(order[index + 1]?.name ?? spec.next);
    });
    return { first: order[0]?.name ?? spec.next, states };
}
