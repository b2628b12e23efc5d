/**
 * The environment variables the component sets on the functions and the handlers read at start,
 * and the one function that builds each function's environment, for the component and local mode
 * alike, so that a rename or a new variable cannot leave the two sides disagreeing.
 */
import type { FunctionKind } from "./functions";

/** The names of the environment variables. */
export const ENV = {
    /** DynamoDB table holding one item per order, partition key `orderId` (S). */
    tableName: "ORDERS_TABLE_NAME",
    /** URL of the SQS order queue that SubmitOrder sends to. */
    queueUrl: "ORDER_QUEUE_URL",
    /** "true" or "false": whether ProcessOrder sends confirmation emails. */
    emailEnabled: "EMAIL_ENABLED",
    /** The verified SES sender address, required when email is enabled. */
    emailSender: "EMAIL_SENDER",
    /** Name of the custom EventBridge bus ProcessOrder publishes to; unset when events are off. */
    eventBusName: "ORDER_EVENT_BUS_NAME",
    /** ARN of the shipping state machine ProcessOrder starts; unset when workflows are off. */
    shippingStateMachineArn: "SHIPPING_STATE_MACHINE_ARN",
    /** ARN of the refund state machine RefundOrder starts. */
    refundStateMachineArn: "REFUND_STATE_MACHINE_ARN",
    /** "true" when the API has a JWT authorizer: handlers then require a caller and check ownership. */
    authEnabled: "AUTH_ENABLED",
    /** The SES configuration set every confirmation email names; unset: none. */
    emailConfigurationSet: "EMAIL_CONFIGURATION_SET",
    /** ProcessOrder's retry backoff: the first delay in seconds; with ORDER_QUEUE_URL, turns backoff on. */
    retryBaseDelaySeconds: "RETRY_BASE_DELAY_SECONDS",
    /** ProcessOrder's retry backoff: the longest delay in seconds, below the order queue's visibility timeout. */
    retryMaxDelaySeconds: "RETRY_MAX_DELAY_SECONDS",
} as const;

/**
 * What the functions' environments are made of: references to the pipeline's resources, as plain
 * strings (local mode) or as values known at deployment (the component's Outputs).
 */
export interface FunctionResources<S> {
    readonly tableName: S;
    readonly queueUrl: S;
    /** The From address, when email is on. */
    readonly emailSender?: S;
    /** The order event bus, when events are on. */
    readonly eventBusName?: S;
    /** The state machines, when workflows are on. */
    readonly shippingStateMachineArn?: S;
    readonly refundStateMachineArn?: S;
    /** Whether the API has a JWT authorizer (sign-in). */
    readonly authEnabled: boolean;
    /** The SES configuration set of confirmation emails, when email has one. */
    readonly emailConfigurationSet?: S;
    /**
     * ProcessOrder's retry backoff on the order queue (`queueUrl`); absent: a failed record waits
     * the visibility timeout.
     */
    readonly retry?: { readonly baseDelaySeconds: number; readonly maxDelaySeconds: number };
}

/**
 * The environment of one function: SubmitOrder knows the queue, ProcessOrder the table, the email
 * settings, the bus and the shipping workflow, GetOrder the table, RefundOrder the table and the
 * refund workflow, the email-events function the table; the API functions learn whether sign-in is on.
 */
export function functionEnvironment<S>(kind: FunctionKind, resources: FunctionResources<S>): Record<string, S | string> {
    const auth: Record<string, string> = resources.authEnabled ? { [ENV.authEnabled]: "true" } : {};
    switch (kind) {
        case "submit":
            return { [ENV.queueUrl]: resources.queueUrl, ...auth };
        case "process":
            return {
                [ENV.tableName]: resources.tableName,
                [ENV.emailEnabled]: String(resources.emailSender !== undefined),
                ...(resources.emailSender !== undefined ? { [ENV.emailSender]: resources.emailSender } : {}),
                ...(resources.eventBusName !== undefined ? { [ENV.eventBusName]: resources.eventBusName } : {}),
                ...(resources.shippingStateMachineArn !== undefined ? { [ENV.shippingStateMachineArn]: resources.shippingStateMachineArn } : {}),
                ...(resources.emailSender !== undefined && resources.emailConfigurationSet !== undefined
                    ? { [ENV.emailConfigurationSet]: resources.emailConfigurationSet }
                    : {}),
                ...(resources.retry !== undefined
                    ? {
                          [ENV.queueUrl]: resources.queueUrl,
                          [ENV.retryBaseDelaySeconds]: String(resources.retry.baseDelaySeconds),
                          [ENV.retryMaxDelaySeconds]: String(resources.retry.maxDelaySeconds),
                      }
                    : {}),
            };
        case "get":
            return { [ENV.tableName]: resources.tableName, ...auth };
        case "refund":
            if (resources.refundStateMachineArn === undefined) throw new Error("RefundOrder needs the refund state machine (workflows)");
            return { [ENV.tableName]: resources.tableName, [ENV.refundStateMachineArn]: resources.refundStateMachineArn, ...auth };
        case "email-events":
            return { [ENV.tableName]: resources.tableName };
    }
}
