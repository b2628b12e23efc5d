import { ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";

/**
 * Receives every message currently visible on a queue (short polls until one comes back empty),
 * hiding each for a minute so that a queue with visibility timeout 0 does not hand it out again.
 */
export async function receiveAll(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
    const messages: Message[] = [];
    for (;;) {
        const { Messages } = await sqs.send(
            new ReceiveMessageCommand({
                QueueUrl: queueUrl,
                MaxNumberOfMessages: 10,
                WaitTimeSeconds: 0,
                VisibilityTimeout: 60,
                MessageAttributeNames: ["All"],
                MessageSystemAttributeNames: ["All"],
            }),
        );
        if (!Messages || Messages.length === 0) return messages;
        messages.push(...Messages);
    }
}
