import { EXAMPLE_ORDER } from "../../handlers/order/example-order";

/** The two curl commands local mode prints: place the example order, then read it back. */
export function sampleCurls(apiUrl: string): { post: string; get: string } {
    return {
        post: `curl -i -X POST ${apiUrl}/orders -H 'content-type: application/json' -d '${JSON.stringify(EXAMPLE_ORDER)}'`,
        get: `curl -i ${apiUrl}/orders/<orderId from the answer above>`,
    };
}
