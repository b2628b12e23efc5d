import { formatMoney } from "./money";
import type { Order } from "./schema";
import type { OrderTotals } from "./totals";

/** The content of an order confirmation, in plain text and HTML. */
export interface ConfirmationEmail {
    readonly to: string;
    readonly subject: string;
    readonly text: string;
    readonly html: string;
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Writes the confirmation email for a stored order: the customer's name, the order id (also in the
 * subject), each line and the totals the pipeline computed. Customer text is HTML-escaped.
 */
export function renderConfirmationEmail(orderId: string, order: Order, totals: OrderTotals): ConfirmationEmail {
    const money = (minorUnits: number) => formatMoney(minorUnits, totals.currency);
    const lines = order.items.map((item) => ({
        label: `${item.quantity} x ${item.sku}`,
        price: `${money(item.unitPrice)} each, ${money(item.quantity * item.unitPrice)}`,
    }));
    const subject = `Order ${orderId} confirmed`;
    const text = [
        `Hello ${order.customer.name},`,
        "",
        `thank you for your order ${orderId}.`,
        "",
        ...lines.map((line) => `  ${line.label}: ${line.price}`),
        "",
        `Items: ${totals.itemCount}`,
        `Total: ${money(totals.subtotal)}`,
    ].join("\n");
    const html = [
        "<!doctype html>",
        `<html><body>`,
        `<p>Hello ${escapeHtml(order.customer.name)},</p>`,
        `<p>thank you for your order <strong>${orderId}</strong>.</p>`,
        "<ul>",
        ...lines.map((line) => `<li>${escapeHtml(line.label)}: ${escapeHtml(line.price)}</li>`),
        "</ul>",
        `<p>Items: ${totals.itemCount}<br>Total: <strong>${escapeHtml(money(totals.subtotal))}</strong></p>`,
        "</body></html>",
    ].join("\n");
    return { to: order.customer.email, subject, text, html };
}
