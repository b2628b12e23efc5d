/** Who may publish to a topic: one AWS service, under conditions that tie it to one source. */
export interface TopicPublisher {
    readonly sid: string;
    /** The service principal, e.g. `cloudwatch.amazonaws.com`. */
    readonly service: string;
    /** The confused-deputy guard (`aws:SourceAccount`, `aws:SourceArn`) of the SNS Developer Guide. */
    readonly condition: Record<string, Record<string, string>>;
}

/**
 * A topic policy with one publisher. It replaces SNS's default policy, so it names the one service
 * that may publish, and it refuses every publish not made over TLS (`aws:SecureTransport` false),
 * whoever makes it.
 */
export function singlePublisherTopicPolicy(topicArn: string, publisher: TopicPublisher): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: publisher.sid,
                Effect: "Allow",
                Principal: { Service: publisher.service },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: publisher.condition,
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });
}
