import { Type, type Static } from "typebox";
import { createValidator } from "../order/validation";

/** The optional body of `POST /orders/{orderId}/refund`. */
export const RefundRequestSchema = Type.Object(
    {
        reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: "Why the customer wants the refund; kept on the order." })),
    },
    { additionalProperties: false, title: "RefundRequest" },
);

/** A refund request, validated. */
export type RefundRequest = Static<typeof RefundRequestSchema>;

/** Checks a refund request body; an absent body is an empty request. */
export const validateRefundRequest = createValidator(RefundRequestSchema);
