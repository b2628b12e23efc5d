/**
 * Lambda entry point of ProcessOrder (the order queue's event source mapping, with
 * ReportBatchItemFailures). Reads its configuration and creates its SDK clients once per
 * container, at load; with EMAIL_ENABLED=false no SES client is created at all, and likewise no
 * EventBridge or Step Functions client without a bus or a shipping state machine.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import type { OrderEventPublisher } from "./process/follow-ups";
import { createProcessOrderHandler } from "./process/process-order-handler";
import { sdkClientSettings } from "./runtime/aws-clients";
import { readProcessOrderConfig } from "./runtime/config";
import type { WorkflowStarter } from "./workflows/execution-names";

const config = readProcessOrderConfig(process.env);
const dynamodb = new DynamoDBClient(sdkClientSettings());
const email = config.email.enabled
    ? { ses: new SESv2Client(sdkClientSettings()), source: config.email.sender, configurationSetName: config.email.configurationSetName }
    : undefined;

// An option's modules and SDK client are loaded only when the option is on (require, not import):
// a cold start pays for nothing it does not use.
function eventPublisher(busName: string): OrderEventPublisher {
    const { EventBridgeClient } = require("@aws-sdk/client-eventbridge") as typeof import("@aws-sdk/client-eventbridge");
    const { createEventPublisher } = require("./events/event-publisher") as typeof import("./events/event-publisher");
    const { createOrderEventPublisher } = require("./process/order-event-publisher") as typeof import("./process/order-event-publisher");
    return createOrderEventPublisher(createEventPublisher(new EventBridgeClient(sdkClientSettings()), busName));
}

function shippingStarter(stateMachineArn: string): WorkflowStarter {
    const { SFNClient } = require("@aws-sdk/client-sfn") as typeof import("@aws-sdk/client-sfn");
    const { createWorkflowStarter } = require("./workflows/start-workflow") as typeof import("./workflows/start-workflow");
    return createWorkflowStarter(new SFNClient(sdkClientSettings()), stateMachineArn);
}

const events = config.eventBusName === undefined ? undefined : eventPublisher(config.eventBusName);
const startShipping = config.shippingStateMachineArn === undefined ? undefined : shippingStarter(config.shippingStateMachineArn);

// Retry backoff needs an SQS client of its own (ChangeMessageVisibility on the order queue). It is
// loaded on the first transient failure: a cold start and a healthy batch pay nothing for it.
function retryBackoff(retry: NonNullable<typeof config.retry>) {
    let sqs: import("@aws-sdk/client-sqs").SQSClient | undefined;
    return {
        get sqs() {
            if (sqs === undefined) {
                const { SQSClient } = require("@aws-sdk/client-sqs") as typeof import("@aws-sdk/client-sqs");
                // The resolved endpoint (regional on AWS, AWS_ENDPOINT_URL_SQS locally), as SubmitOrder sends.
                sqs = new SQSClient({ ...sdkClientSettings(), useQueueUrlAsEndpoint: false });
            }
            return sqs;
        },
        queueUrl: retry.queueUrl,
        policy: retry.policy,
    };
}
const retry = config.retry === undefined ? undefined : retryBackoff(config.retry);

/** The ProcessOrder handler. */
export const handler = createProcessOrderHandler({ dynamodb, tableName: config.tableName, email, events, startShipping, retry });
