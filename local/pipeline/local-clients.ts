import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../lambda/lambda-environment";

/** SDK clients that local mode itself uses (not the handlers): they talk to the emulators directly. */
export interface LocalClients {
    readonly dynamodb: DynamoDBClient;
    readonly sqs: SQSClient;
    /** Closes their connections. */
    destroy(): void;
}

/**
 * Clients for the emulators at these endpoints, with explicit timeouts (an emulator that never
 * answers must not hang local mode) and the SQS endpoint given explicitly, since the queue URLs
 * fauxqs returns name a host the SDK cannot resolve.
 */
export function createLocalClients(endpoints: { readonly dynamodb: string; readonly sqs: string }): LocalClients {
    const common = {
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 3,
        // Long polls wait up to 20 s; everything else answers in milliseconds.
        requestHandler: { connectionTimeout: 2_000, requestTimeout: 25_000 },
    };
    const dynamodb = new DynamoDBClient({ ...common, endpoint: endpoints.dynamodb });
    const sqs = new SQSClient({ ...common, endpoint: endpoints.sqs });
    return {
        dynamodb,
        sqs,
        destroy() {
            dynamodb.destroy();
            sqs.destroy();
        },
    };
}
