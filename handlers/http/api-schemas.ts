import { Type, type Static } from "typebox";
import { ACCEPTED_STATUS } from "../order/status";
import { PROBLEMS, problemType } from "./problem";

/** The body of a `202 Accepted` answer to `POST /orders`. */
export const OrderAcceptedSchema = Type.Object(
    {
        orderId: Type.String({ format: "uuid", description: "The order's id; with an Idempotency-Key the same for every retry." }),
        status: Type.Literal(ACCEPTED_STATUS),
    },
    { additionalProperties: false, title: "OrderAccepted" },
);

/** What SubmitOrder answers on success. */
export type OrderAccepted = Static<typeof OrderAcceptedSchema>;

/** The body of a `202 Accepted` answer to `POST /orders/{orderId}/refund`. */
export const RefundAcceptedSchema = Type.Object(
    {
        orderId: Type.String({ format: "uuid" }),
        status: Type.Literal("REFUND_REQUESTED"),
    },
    { additionalProperties: false, title: "RefundAccepted" },
);

/** A problem details body (RFC 9457) as this API writes it. */
export const ProblemSchema = Type.Object(
    {
        type: Type.Enum(
            Object.values(PROBLEMS).map((kind) => problemType(kind)),
            { type: "string", description: "Identifies the kind of problem; switch on this, not on title or detail." },
        ),
        title: Type.String(),
        status: Type.Integer({ minimum: 400, maximum: 599 }),
        detail: Type.String({ description: "What went wrong with this request." }),
        errors: Type.Optional(
            Type.Array(
                Type.Object(
                    {
                        pointer: Type.String({ description: "JSON Pointer (RFC 6901) to the faulty value in the request body." }),
                        detail: Type.String(),
                    },
                    { additionalProperties: false },
                ),
                { description: "Every schema violation of the order (up to 100)." },
            ),
        ),
        errorsTruncated: Type.Optional(Type.Literal(true, { description: "Present when there were more violations than listed." })),
    },
    { additionalProperties: false, title: "Problem" },
);
