/**
 * The example order of the design, the OpenAPI document and local mode's sample curl: a body that
 * `POST /orders` accepts.
 */
export const EXAMPLE_ORDER = {
    customer: { email: "ada@example.com", name: "Ada Lovelace" },
    items: [{ sku: "BOOK-1", quantity: 2, unitPrice: 1250 }],
    currency: "EUR",
    shippingAddress: { line1: "1 Main St", city: "London", postalCode: "N1 1AA", country: "GB" },
} as const;
