import { Type, type Static } from "typebox";
import { COUNTRY_CODES } from "./countries";
import { CURRENCY_CODES } from "./currencies";
import { freeText } from "./free-text";

export { freeText, TEXT_PATTERN, TEXT_PATTERN_DETAIL } from "./free-text";

/** Limits of an order, shared by the schema, the OpenAPI document and the README. */
export const ORDER_LIMITS = Object.freeze({
    /** Line items per order. */
    minItems: 1,
    maxItems: 100,
    /** Units per line item. */
    maxQuantity: 1000,
    /**
     * Highest unit price in minor units (1,000,000.00 in a two-decimal currency). With maxItems and
     * maxQuantity this keeps every total below 2^53, so totals are exact JavaScript integers.
     */
    maxUnitPrice: 100_000_000,
});

/** The customer who placed the order. */
export const CustomerSchema = Type.Object(
    {
        email: Type.String({
            format: "email",
            // A deliverable address: one @, a dot in the domain, no spaces (format "email" alone
            // accepts quoted local parts and dotless domains that SES cannot send to).
            pattern: "^[^\\s@\"]+@[^\\s@\"]+\\.[^\\s@\"]+$",
            maxLength: 254,
            description: "Where the confirmation email goes. Never returned by the API or logged.",
        }),
        name: freeText(200, "The customer's name, used in the confirmation email."),
        id: Type.Optional(
            Type.String({
                minLength: 1,
                maxLength: 128,
                pattern: "^[\\x21-\\x7E]+$",
                description: "The caller's own customer id (visible ASCII). When present it scopes the Idempotency-Key.",
            }),
        ),
    },
    { additionalProperties: false },
);

/** One line of the order. */
export const LineItemSchema = Type.Object(
    {
        sku: Type.String({
            minLength: 1,
            maxLength: 64,
            pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$",
            description: "Stock keeping unit: letters, digits, '.', '_' and '-'.",
        }),
        quantity: Type.Integer({ minimum: 1, maximum: ORDER_LIMITS.maxQuantity }),
        unitPrice: Type.Integer({
            minimum: 0,
            maximum: ORDER_LIMITS.maxUnitPrice,
            description: "Price of one unit as an integer in the currency's minor units (cents for EUR).",
        }),
    },
    { additionalProperties: false },
);

/** Where the order ships to. */
export const ShippingAddressSchema = Type.Object(
    {
        line1: freeText(200, "Street and number."),
        line2: Type.Optional(freeText(200, "Flat, floor, building.")),
        city: freeText(100, "City or town."),
        region: Type.Optional(freeText(100, "State, province or county.")),
        postalCode: freeText(20, "Postal code."),
        country: Type.Enum([...COUNTRY_CODES], { type: "string", description: "ISO 3166-1 alpha-2 country code." }),
    },
    { additionalProperties: false },
);

/** The body of `POST /orders`. No client total: the worker computes totals from the line items. */
export const OrderSchema = Type.Object(
    {
        customer: CustomerSchema,
        items: Type.Array(LineItemSchema, { minItems: ORDER_LIMITS.minItems, maxItems: ORDER_LIMITS.maxItems }),
        currency: Type.Enum([...CURRENCY_CODES], { type: "string", description: "ISO 4217 currency code of every unitPrice." }),
        shippingAddress: ShippingAddressSchema,
    },
    { additionalProperties: false, title: "Order" },
);

/** An order as the client sent it, once it has passed {@link OrderSchema}. */
export type Order = Static<typeof OrderSchema>;

/** The customer part of an {@link Order}. */
export type Customer = Static<typeof CustomerSchema>;
