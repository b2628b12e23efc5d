import { z } from "zod";
import { COUNTRY_CODES } from "../../handlers/order/countries";
import { CURRENCY_CODES } from "../../handlers/order/currencies";
import { ORDER_LIMITS } from "../../handlers/order/schema";

/** Free text: the same pattern as the pipeline's (at least one visible character, no control characters). */
const TEXT = /^(?!\s*$)[^\u0000-\u001F\u007F\u2028\u2029]+$/;
const text = (maxLength: number) => z.string().min(1).max(maxLength).regex(TEXT);

/**
 * The peer's order schema: the same rules as the pipeline's typebox `OrderSchema`
 * (handlers/order/schema.ts), written in zod as the Powertools Parser documentation does: strict
 * objects (no unknown properties), bounded strings, integer quantities and prices, ISO codes.
 * It shares the limits and code lists, so that both sides validate exactly the same thing.
 */
export const PeerOrderSchema = z.strictObject({
    customer: z.strictObject({
        email: z
            .email()
            .max(254)
            .regex(/^[^\s@"]+@[^\s@"]+\.[^\s@"]+$/),
        name: text(200),
        id: z
            .string()
            .min(1)
            .max(128)
            .regex(/^[\x21-\x7E]+$/)
            .optional(),
    }),
    items: z
        .array(
            z.strictObject({
                sku: z
                    .string()
                    .min(1)
                    .max(64)
                    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
                quantity: z.int().min(1).max(ORDER_LIMITS.maxQuantity),
                unitPrice: z.int().min(0).max(ORDER_LIMITS.maxUnitPrice),
            }),
        )
        .min(ORDER_LIMITS.minItems)
        .max(ORDER_LIMITS.maxItems),
    currency: z.enum(CURRENCY_CODES as [string, ...string[]]),
    shippingAddress: z.strictObject({
        line1: text(200),
        line2: text(200).optional(),
        city: text(100),
        region: text(100).optional(),
        postalCode: text(20),
        country: z.enum(COUNTRY_CODES as [string, ...string[]]),
    }),
});

/** An order that passed {@link PeerOrderSchema}. */
export type PeerOrder = z.infer<typeof PeerOrderSchema>;

/** The body of the message the peer's SubmitOrder puts on its queue. */
export const PeerOrderMessageSchema = z.strictObject({
    orderId: z.uuid(),
    receivedAt: z.iso.datetime(),
    order: PeerOrderSchema,
});

/** A queue message body that passed {@link PeerOrderMessageSchema}. */
export type PeerOrderMessage = z.infer<typeof PeerOrderMessageSchema>;
