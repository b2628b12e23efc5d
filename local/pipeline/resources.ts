import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from "@aws-sdk/client-dynamodb";
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { TABLE_KEY } from "../../contract/defaults";
import type { LocalSettings } from "./local-settings";

/** The table and queues of one local pipeline. */
export interface LocalResources {
    readonly tableName: string;
    readonly queueUrl: string;
    readonly queueArn: string;
    readonly dlqUrl: string;
    readonly dlqArn: string;
}

/** The ARN of a queue, as GetQueueAttributes answers it. */
export async function queueArnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
    const arn = Attributes?.QueueArn;
    if (!arn) throw new Error(`queue ${queueUrl} has no QueueArn`);
    return arn;
}

/**
 * Creates a queue, or brings an existing one (kept on disk from an earlier run) to these
 * attributes, as a deployment updates a queue in place: SQS refuses CreateQueue for an existing
 * name with different attributes (QueueNameExists).
 */
export async function createOrUpdateQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
    try {
        return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
    } catch (err) {
        if ((err as Error).name !== "QueueNameExists" && !(err as Error).name.endsWith(".QueueNameExists")) throw err;
    }
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
    return QueueUrl!;
}

/**
 * Creates (or finds, when they already exist) the orders table and the order queue with its DLQ,
 * with the settings the OrderPipeline component deploys: key `orderId`, the queues' redrive after
 * `queue.maxReceiveCount` receives, their visibility timeout and retention periods.
 */
export async function createPipelineResources(
    clients: { dynamodb: DynamoDBClient; sqs: SQSClient },
    settings: Pick<LocalSettings, "name" | "queue">,
): Promise<LocalResources> {
    const prefix = settings.name;
    const tableName = `${prefix}-table`;
    try {
        await clients.dynamodb.send(
            new CreateTableCommand({
                TableName: tableName,
                AttributeDefinitions: [{ AttributeName: TABLE_KEY, AttributeType: "S" }],
                KeySchema: [{ AttributeName: TABLE_KEY, KeyType: "HASH" }],
                BillingMode: "PAY_PER_REQUEST",
            }),
        );
    } catch (err) {
        // A table kept on disk from an earlier run is reused as it is.
        if (!(err instanceof ResourceInUseException)) throw err;
    }

    const { queue } = settings;
    const dlqUrl = await createOrUpdateQueue(clients.sqs, `${prefix}-dlq`, { MessageRetentionPeriod: String(queue.dlqRetentionSeconds) });
    const dlqArn = await queueArnOf(clients.sqs, dlqUrl);
    const queueUrl = await createOrUpdateQueue(clients.sqs, `${prefix}-queue`, {
        MessageRetentionPeriod: String(queue.retentionSeconds),
        VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: queue.maxReceiveCount,
        }),
    });
    return { tableName, queueUrl, queueArn: await queueArnOf(clients.sqs, queueUrl), dlqUrl, dlqArn };
}
