/** The order of the README and of local mode's sample curl: the body `POST /orders` accepts. */
export const SAMPLE_ORDER = {
    customer: { email: "ada@example.com", name: "Ada Lovelace" },
    items: [{ sku: "BOOK-1", quantity: 2, unitPrice: 1250 }],
    currency: "EUR",
    shippingAddress: { line1: "1 Main St", city: "London", postalCode: "N1 1AA", country: "GB" },
} as const;

/** The two curl commands local mode prints: place the sample order, then read it back. */
export function sampleCurls(apiUrl: string): { post: string; get: string } {
    return {
        post: `curl -i -X POST ${apiUrl}/orders -H 'content-type: application/json' -d '${JSON.stringify(SAMPLE_ORDER)}'`,
        get: `curl -i ${apiUrl}/orders/<orderId from the answer above>`,
    };
}
