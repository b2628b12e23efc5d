import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { createLocalSqsClient, LOCAL_CLIENT_CONFIG } from "./local-sqs-client";

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
    const dynamodb = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: endpoints.dynamodb });
    const sqs = createLocalSqsClient(endpoints.sqs);
    return {
        dynamodb,
        sqs,
        destroy() {
            dynamodb.destroy();
            sqs.destroy();
        },
    };
}
