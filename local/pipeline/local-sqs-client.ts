import { SQSClient } from "@aws-sdk/client-sqs";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../lambda/lambda-environment";

/**
 * What every SDK client of local mode's own is made with: explicit timeouts (an emulator that never
 * answers must not hang local mode).
 */
export const LOCAL_CLIENT_CONFIG = {
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
    // Long polls wait up to 20 s; everything else answers in milliseconds.
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 25_000 },
};

/**
 * An SQS client of local mode's own, with the endpoint given explicitly, since the queue URLs fauxqs
 * returns name a host the SDK cannot resolve. A module of its own, so that a thread that only polls
 * a queue (the worker's) does not load the DynamoDB client too.
 */
export function createLocalSqsClient(endpoint: string): SQSClient {
    return new SQSClient({ ...LOCAL_CLIENT_CONFIG, endpoint });
}
