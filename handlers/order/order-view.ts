import { Type, type Static } from "typebox";
import { CURRENCY_CODES } from "./currencies";
import { ORDER_STATUSES, type OrderStatus } from "./status";
import type { OrderTotals } from "./totals";

/** Totals as the API shows them. */
export const OrderTotalsSchema = Type.Object(
    {
        currency: Type.Enum([...CURRENCY_CODES], { type: "string", description: "ISO 4217 currency code." }),
        subtotal: Type.Integer({ minimum: 0, description: "Sum of quantity x unitPrice, in minor units." }),
        itemCount: Type.Integer({ minimum: 1, description: "Units ordered (sum of quantities)." }),
        lineCount: Type.Integer({ minimum: 1, description: "Line items." }),
    },
    { additionalProperties: false },
);

/** The body of `GET /orders/{orderId}`: status and totals, no customer data. */
export const OrderViewSchema = Type.Object(
    {
        orderId: Type.String({ format: "uuid" }),
        status: Type.Enum([...ORDER_STATUSES], { type: "string" }),
        totals: OrderTotalsSchema,
        createdAt: Type.String({ format: "date-time" }),
        updatedAt: Type.String({ format: "date-time" }),
    },
    { additionalProperties: false, title: "OrderView" },
);

/** What GetOrder answers. */
export type OrderView = Static<typeof OrderViewSchema>;

/** Builds the API view of a stored order, field by field, so no other stored attribute can leak. */
export function toOrderView(item: {
    readonly orderId: string;
    readonly status: OrderStatus;
    readonly totals: OrderTotals;
    readonly createdAt: string;
    readonly updatedAt: string;
}): OrderView {
    const { currency, subtotal, itemCount, lineCount } = item.totals;
    return {
        orderId: item.orderId,
        status: item.status,
        totals: { currency, subtotal, itemCount, lineCount },
        createdAt: item.createdAt,
        updatedAt: item.updatedAt,
    };
}
