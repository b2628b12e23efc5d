import { EXAMPLE_ORDER } from "../../handlers/order/example-order";

/** What the sample commands need to know of the options. */
export interface SampleCurlOptions {
    /** Sign-in is on: each command sends `Authorization: Bearer $TOKEN`. */
    readonly signIn?: boolean;
    /** Workflows are on: a refund command is added. */
    readonly refund?: boolean;
}

/**
 * The curl commands local mode prints: place the example order, then read it back; with sign-in,
 * each carries the token from `npm run token`; with workflows, a refund follows.
 */
export function sampleCurls(apiUrl: string, options: SampleCurlOptions = {}): { token?: string; post: string; get: string; refund?: string } {
    const auth = options.signIn ? ` -H "Authorization: Bearer $TOKEN"` : "";
    return {
        ...(options.signIn ? { token: "TOKEN=$(npm run -s token -- --email ada@example.com)" } : {}),
        post: `curl -i -X POST ${apiUrl}/orders${auth} -H 'content-type: application/json' -d '${JSON.stringify(EXAMPLE_ORDER)}'`,
        get: `curl -i ${apiUrl}/orders/<orderId from the answer above>${auth}`,
        ...(options.refund ? { refund: `curl -i -X POST ${apiUrl}/orders/<orderId>/refund${auth}` } : {}),
    };
}

/**
 * A curl command that reads up to 10 events from the local subscriber queue: SQS's JSON protocol
 * (ReceiveMessage), which the local SQS emulator answers without a signature. Each message body is
 * the event as EventBridge delivers it.
 */
export function subscriberCurl(sqsEndpoint: string, queueUrl: string): string {
    return `curl -s ${sqsEndpoint} -H 'x-amz-target: AmazonSQS.ReceiveMessage' -H 'content-type: application/x-amz-json-1.0' -d '${JSON.stringify({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 })}'`;
}
