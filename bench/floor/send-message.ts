/**
 * The SDK floor for SubmitOrder: a handler that loads the SQS client and sends the event's body as
 * one message, with no validation, no logging and no error handling. The least any SubmitOrder
 * must load and do; the part of a cold start above it is the handler's own.
 */
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ENV } from "../../contract/environment";

const sqs = new SQSClient({});

/** Sends the event body as one SQS message and answers 202. */
export const handler = async (event: { body?: string }): Promise<{ statusCode: number }> => {
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env[ENV.queueUrl], MessageBody: event.body ?? "{}" }));
    return { statusCode: 202 };
};
