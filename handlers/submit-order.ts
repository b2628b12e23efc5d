/**
 * Lambda entry point of SubmitOrder (`POST /orders`). Reads its configuration and creates its SDK
 * client once per container, at load: a missing or malformed variable fails the cold start with
 * a message naming it, instead of failing requests later.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { sdkClientSettings } from "./runtime/aws-clients";
import { readSubmitOrderConfig } from "./runtime/config";
import { createSubmitOrderHandler } from "./submit/submit-order-handler";

const config = readSubmitOrderConfig(process.env);

// Send to the client's resolved endpoint (the regional one on AWS, AWS_ENDPOINT_URL_SQS locally)
// rather than to the host named in the queue URL, which an emulator may name unresolvably.
const sqs = new SQSClient({ ...sdkClientSettings(), useQueueUrlAsEndpoint: false });

/** The SubmitOrder handler. */
export const handler = createSubmitOrderHandler({ sqs, queueUrl: config.queueUrl, authEnabled: config.authEnabled });
