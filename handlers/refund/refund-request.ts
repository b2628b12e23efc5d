import { Type, type Static } from "typebox";
import { freeText } from "../order/schema";
import { createValidator } from "../order/validation";

/** The optional body of `POST /orders/{orderId}/refund`. */
export const RefundRequestSchema = Type.Object(
    {
        reason: Type.Optional(freeText(500, "Why the customer wants the refund; kept on the order.")),
    },
    { additionalProperties: false, title: "RefundRequest" },
);

/** A refund request, validated. */
export type RefundRequest = Static<typeof RefundRequestSchema>;

/** Checks a refund request body; an absent body is an empty request. */
export const validateRefundRequest = createValidator(RefundRequestSchema);
