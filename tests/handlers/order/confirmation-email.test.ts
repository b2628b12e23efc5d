import { expect } from "chai";
import { renderConfirmationEmail } from "../../../handlers/order/confirmation-email";
import { computeTotals } from "../../../handlers/order/totals";
import { sampleOrder } from "../support/fixtures";

const ORDER_ID = "0b6b1b8e-6a4f-8c1d-9e2f-3a4b5c6d7e8f";

describe("confirmation email", () => {
    it("should name the order in the subject and greet the customer with the lines and totals", () => {
        // Prepare
        const order = sampleOrder();

        // Act
        const email = renderConfirmationEmail(ORDER_ID, order, computeTotals(order));

        // Assess
        expect(email.to).to.equal("ada@example.com");
        expect(email.subject).to.equal(`Order ${ORDER_ID} confirmed`);
        expect(email.text).to.equal(
            [
                "Hello Ada Lovelace,",
                "",
                `thank you for your order ${ORDER_ID}.`,
                "",
                "  2 x BOOK-1: EUR 12.50 each, EUR 25.00",
                "  3 x PEN-7: EUR 1.99 each, EUR 5.97",
                "",
                "Items: 5",
                "Total: EUR 30.97",
            ].join("\n"),
        );
        expect(email.html).to.include("<li>2 x BOOK-1: EUR 12.50 each, EUR 25.00</li>").and.include("<strong>EUR 30.97</strong>");
    });

    it("should escape the customer's name in the HTML part", () => {
        const order = sampleOrder({ customer: { email: "x@example.com", name: `<script>alert("x")</script> & 'co'` } });
        const email = renderConfirmationEmail(ORDER_ID, order, computeTotals(order));
        expect(email.html).not.to.include("<script>");
        expect(email.html).to.include("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;co&#39;");
    });

    it("should write amounts in the currency's minor units (JPY has none)", () => {
        const order = sampleOrder({ currency: "JPY", items: [{ sku: "TEA", quantity: 2, unitPrice: 1500 }] });
        expect(renderConfirmationEmail(ORDER_ID, order, computeTotals(order)).text).to.include("Total: JPY 3,000");
    });
});
