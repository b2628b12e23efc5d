import { expect } from "chai";
import * as fs from "node:fs";
import { Compile } from "typebox/compile";
import { OrderAcceptedSchema, ProblemSchema, RefundAcceptedSchema } from "../../handlers/http/api-schemas";
import { RefundRequestSchema } from "../../handlers/refund/refund-request";
import { OrderViewSchema } from "../../handlers/order/order-view";
import { OrderSchema } from "../../handlers/order/schema";
import { openApiDocument, renderOpenApi } from "../../handlers/openapi/openapi-document";
import { EXAMPLE_ORDER } from "../../handlers/order/example-order";
import { OPENAPI_FILE } from "../../handlers/openapi/write-openapi";

type Doc = {
    openapi: string;
    paths: Record<string, Record<string, { requestBody?: any; responses: Record<string, any> }>>;
    components: { schemas: Record<string, unknown> };
};

describe("OpenAPI document", () => {
    const doc = openApiDocument() as Doc;

    it("should be up to date in openapi.json (run `npm run openapi` after changing a schema)", () => {
        expect(fs.readFileSync(OPENAPI_FILE, "utf8")).to.equal(renderOpenApi());
    });

    it("should describe POST /orders, GET /orders/{orderId} and POST /orders/{orderId}/refund in OpenAPI 3.1", () => {
        expect(doc.openapi).to.equal("3.1.0");
        expect(Object.keys(doc.paths)).to.deep.equal(["/orders", "/orders/{orderId}", "/orders/{orderId}/refund"]);
        expect(Object.keys(doc.paths["/orders"].post.responses)).to.have.members(["202", "400", "401", "413", "415", "500", "503"]);
        expect(Object.keys(doc.paths["/orders/{orderId}"].get.responses)).to.have.members(["200", "400", "401", "403", "404", "500", "503"]);
        expect(Object.keys(doc.paths["/orders/{orderId}/refund"].post.responses)).to.have.members(["202", "400", "401", "403", "404", "409", "413", "415", "500", "503"]);
    });

    it("should embed the very schemas the handlers validate with", () => {
        expect(doc.components.schemas.Order).to.deep.equal(JSON.parse(JSON.stringify(OrderSchema)));
        expect(doc.components.schemas.OrderView).to.deep.equal(JSON.parse(JSON.stringify(OrderViewSchema)));
        expect(doc.paths["/orders"].post.requestBody.content["application/json"].schema).to.deep.equal({ $ref: "#/components/schemas/Order" });
    });

    it("should resolve every $ref it contains", () => {
        const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
        expect(refs.length).to.be.greaterThan(5);
        for (const ref of refs) expect(doc.components.schemas).to.have.property(ref.split("/").pop()!.replace('"', ""));
    });

    it("should have examples that match their own schemas", () => {
        expect(Compile(OrderSchema).Check(EXAMPLE_ORDER)).to.equal(true);
        expect(Compile(OrderAcceptedSchema).Check(doc.paths["/orders"].post.responses["202"].content["application/json"].example)).to.equal(true);
        expect(Compile(OrderViewSchema).Check(doc.paths["/orders/{orderId}"].get.responses["200"].content["application/json"].example)).to.equal(true);
        const refund = doc.paths["/orders/{orderId}/refund"].post;
        expect(Compile(RefundRequestSchema).Check(refund.requestBody.content["application/json"].example)).to.equal(true);
        expect(Compile(RefundAcceptedSchema).Check(refund.responses["202"].content["application/json"].example)).to.equal(true);
        expect(Compile(ProblemSchema).Check({ type: "urn:order-pipeline:problem:invalid-order", title: "t", status: 400, detail: "d", errors: [{ pointer: "/a", detail: "x" }] })).to.equal(true);
    });
});
