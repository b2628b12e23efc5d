import { expect } from "chai";
import { correlationIdOf } from "../../../handlers/http/correlation";
import { lowerCaseHeaders } from "../../../handlers/http/headers";

describe("request headers", () => {
    it("should find headers whatever the case of their names", () => {
        const headers = lowerCaseHeaders({ "Content-Type": "application/json", "IDEMPOTENCY-KEY": "k" });
        expect(headers.get("content-type")).to.equal("application/json");
        expect(headers.get("idempotency-key")).to.equal("k");
    });

    it("should join names that differ only in case, as HTTP joins repeated fields", () => {
        expect(lowerCaseHeaders({ "Idempotency-Key": "a", "idempotency-key": "b" }).get("idempotency-key")).to.equal("a, b");
    });

    it("should treat __proto__ and constructor as ordinary header names", () => {
        const headers = lowerCaseHeaders(JSON.parse('{"__proto__":"x","constructor":"y"}'));
        expect(headers.get("__proto__")).to.equal("x");
        expect(headers.get("constructor")).to.equal("y");
        expect(lowerCaseHeaders(undefined).size).to.equal(0);
    });

    describe("correlation id", () => {
        it("should take a well-formed X-Correlation-Id", () => {
            expect(correlationIdOf(new Map([["x-correlation-id", "order-flow:42.a_b"]]), "req")).to.equal("order-flow:42.a_b");
        });

        it("should fall back to the request id for a malformed one, and to a UUID without either", () => {
            expect(correlationIdOf(new Map([["x-correlation-id", "x".repeat(129)]]), "req-1")).to.equal("req-1");
            expect(correlationIdOf(new Map([["x-correlation-id", "a\nb"]]), "req-1")).to.equal("req-1");
            expect(correlationIdOf(new Map(), undefined)).to.match(/^[0-9a-f-]{36}$/);
        });
    });
});
