import { expect } from "chai";
import { canTransition, hasReached, INITIAL_STATUS, isOrderStatus, ORDER_STATUSES, predecessorsOf, STATUS_TRANSITIONS } from "../../../handlers/order/status";

describe("order status transitions", () => {
    it("should start at STORED and move only forward: confirmed, then shipped, refundable until refunded", () => {
        expect(INITIAL_STATUS).to.equal("STORED");
        expect(STATUS_TRANSITIONS).to.deep.equal({
            STORED: ["CONFIRMED", "FAILED"],
            CONFIRMED: ["PREPARING", "REFUND_REQUESTED"],
            PREPARING: ["SHIPPED", "REFUND_REQUESTED"],
            SHIPPED: ["REFUND_REQUESTED"],
            REFUND_REQUESTED: ["REFUNDED"],
            REFUNDED: [],
            FAILED: [],
        });
        expect(canTransition("STORED", "CONFIRMED")).to.equal(true);
        expect(canTransition("CONFIRMED", "STORED")).to.equal(false);
        expect(canTransition("STORED", "STORED")).to.equal(false);
        expect(canTransition("STORED", "REFUND_REQUESTED")).to.equal(false);
        expect(canTransition("REFUNDED", "REFUND_REQUESTED")).to.equal(false);
    });

    it("should name the statuses an order may come from (the update's condition)", () => {
        expect(predecessorsOf("CONFIRMED")).to.deep.equal(["STORED"]);
        expect(predecessorsOf("REFUND_REQUESTED")).to.deep.equal(["CONFIRMED", "PREPARING", "SHIPPED"]);
        expect(predecessorsOf("STORED")).to.deep.equal([]);
    });

    it("should treat a status at or beyond the target as already reached, and an earlier one as not", () => {
        expect(hasReached("CONFIRMED", "CONFIRMED")).to.equal(true);
        expect(hasReached("CONFIRMED", "STORED")).to.equal(true);
        expect(hasReached("REFUNDED", "CONFIRMED")).to.equal(true);
        expect(hasReached("STORED", "CONFIRMED")).to.equal(false);
        expect(hasReached("SHIPPED", "REFUNDED")).to.equal(false);
    });

    it("should have no cycle: no status is reachable from itself", () => {
        for (const status of ORDER_STATUSES) {
            for (const next of STATUS_TRANSITIONS[status]) expect(hasReached(status, next), `${status} -> ${next}`).to.equal(false);
        }
    });

    it("should reach every status from the initial one, so none is dead", () => {
        for (const status of ORDER_STATUSES) expect(hasReached(status, INITIAL_STATUS), status).to.equal(true);
    });

    it("should recognise statuses and nothing else", () => {
        expect(ORDER_STATUSES.every(isOrderStatus)).to.equal(true);
        for (const value of ["ACCEPTED", "stored", "toString", "__proto__", 1, undefined]) expect(isOrderStatus(value), String(value)).to.equal(false);
    });
});
