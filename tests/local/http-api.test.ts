import { expect } from "chai";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { request } from "node:http";
import { gzipSync } from "node:zlib";
import { startHttpApi, MAX_REQUEST_BYTES, type HttpApi } from "../../local/api/http-api";
import { isTextContentType } from "../../local/api/http-api-event";
import { fromLambdaResult } from "../../local/api/http-api-response";
import { FunctionInvocationError } from "../../local/lambda/lambda-sandbox";

/** Sends a raw request (repeated headers included, which fetch would merge). */
function rawRequest(url: string, method: string, path: string, headers: Array<[string, string]>, body?: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    return new Promise((resolve, reject) => {
        const target = new URL(path, url);
        const flat = [["host", target.host], ...headers].flat();
        const req = request({ hostname: target.hostname, port: target.port, path: target.pathname + target.search, method, headers: flat }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        });
        req.on("error", reject);
        req.end(body);
    });
}

describe("local HTTP API (API Gateway HTTP API, payload format 2.0)", () => {
    let api: HttpApi;
    let lastEvent: APIGatewayProxyEventV2 | undefined;
    let answer: (event: APIGatewayProxyEventV2) => Promise<unknown> = async () => ({ statusCode: 204 });
    const responses: Array<[number, string | undefined]> = [];

    before(async () => {
        api = await startHttpApi({
            routes: [
                { method: "POST", path: "/orders", invoke: async (e) => answer((lastEvent = e as APIGatewayProxyEventV2)) },
                { method: "GET", path: "/orders/{orderId}", invoke: async (e) => answer((lastEvent = e as APIGatewayProxyEventV2)) },
            ],
            onResponse: (status, route) => responses.push([status, route]),
        });
    });
    after(() => api.close());
    beforeEach(() => {
        lastEvent = undefined;
        answer = async () => ({ statusCode: 204 });
    });

    it("should listen on 127.0.0.1 only", () => {
        expect(api.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it("should build a 2.0 event: lower-cased comma-joined headers, cookies, query, text body, request context", async () => {
        const body = JSON.stringify({ hello: "wörld" });
        await rawRequest(api.url, "POST", "/orders?a=1&b=x%20y&a=2", [
            ["Content-Type", "application/json; charset=utf-8"],
            ["X-Custom", "one"],
            ["x-custom", "two"],
            ["Cookie", "k1=v1; k2=v2"],
            ["User-Agent", "test-agent/1.0"],
        ], Buffer.from(body));
        const event = lastEvent!;
        expect(event.version).to.equal("2.0");
        expect(event.routeKey).to.equal("POST /orders");
        expect(event.rawPath).to.equal("/orders");
        expect(event.rawQueryString).to.equal("a=1&b=x%20y&a=2");
        expect(event.queryStringParameters).to.deep.equal({ a: "1,2", b: "x y" });
        expect(event.headers["content-type"]).to.equal("application/json; charset=utf-8");
        expect(event.headers["x-custom"]).to.equal("one,two");
        expect(event.headers).to.not.have.property("cookie");
        expect(event.cookies).to.deep.equal(["k1=v1", "k2=v2"]);
        expect(event.headers["x-forwarded-for"]).to.equal("127.0.0.1");
        expect(event.headers["x-amzn-trace-id"]).to.match(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
        expect(event.body).to.equal(body);
        expect(event.isBase64Encoded).to.equal(false);
        expect(event.pathParameters).to.equal(undefined);
        expect(event.requestContext).to.deep.include({ routeKey: "POST /orders", stage: "$default", accountId: "000000000000" });
        expect(event.requestContext.http).to.deep.equal({ method: "POST", path: "/orders", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test-agent/1.0" });
        expect(event.requestContext.requestId).to.be.a("string").that.is.not.empty;
        expect(event.requestContext.time).to.match(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
        expect(event.requestContext.timeEpoch).to.be.a("number");
    });

    it("should base64-encode a body whose content type is not text, or that has none", async () => {
        const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
        await rawRequest(api.url, "POST", "/orders", [["content-type", "application/octet-stream"]], bytes);
        expect(lastEvent).to.deep.include({ body: bytes.toString("base64"), isBase64Encoded: true });
        await rawRequest(api.url, "POST", "/orders", [["content-type", "application/x-www-form-urlencoded"]], Buffer.from("a=1"));
        expect(lastEvent).to.deep.include({ body: Buffer.from("a=1").toString("base64"), isBase64Encoded: true });
        await rawRequest(api.url, "POST", "/orders", [], Buffer.from("{}"));
        expect(lastEvent).to.deep.include({ body: Buffer.from("{}").toString("base64"), isBase64Encoded: true });
        expect(isTextContentType("application/problem+json")).to.equal(true);
        expect(isTextContentType("TEXT/plain; charset=latin1")).to.equal(true);
        expect(isTextContentType("image/png")).to.equal(false);
    });

    it("should pass a JSON body that is not valid UTF-8 base64-encoded, so the function sees the exact bytes", async () => {
        const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
        await rawRequest(api.url, "POST", "/orders", [["content-type", "application/json"]], bytes);
        expect(lastEvent).to.deep.include({ body: bytes.toString("base64"), isBase64Encoded: true });
    });

    it("should pass decoded path parameters and no body for a GET", async () => {
        await rawRequest(api.url, "GET", "/orders/ord%2D42", []);
        expect(lastEvent!.routeKey).to.equal("GET /orders/{orderId}");
        expect(lastEvent!.pathParameters).to.deep.equal({ orderId: "ord-42" });
        expect(lastEvent!.rawPath).to.equal("/orders/ord%2D42");
        expect(lastEvent).to.not.have.property("body");
        expect(lastEvent!.isBase64Encoded).to.equal(false);
    });

    it("should answer 404 {message: Not Found} for a path or method without a route, without invoking", async () => {
        for (const [method, path] of [["GET", "/orders"], ["DELETE", "/orders/1"], ["POST", "/orders/"], ["GET", "/orders/1/extra"], ["GET", "/"]]) {
            const res = await rawRequest(api.url, method, path, []);
            expect(res.status, `${method} ${path}`).to.equal(404);
            expect(JSON.parse(res.body)).to.deep.equal({ message: "Not Found" });
        }
        expect(lastEvent).to.equal(undefined);
    });

    it("should answer 413 above the 10 MB payload quota, without invoking", async () => {
        const res = await rawRequest(api.url, "POST", "/orders", [["content-type", "application/json"]], Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20));
        expect(res.status).to.equal(413);
        expect(res.headers["content-type"]).to.equal("application/problem+json");
        expect(JSON.parse(res.body)).to.include({ type: "urn:order-pipeline:problem:content-too-large", status: 413 });
        expect(lastEvent).to.equal(undefined);
    });

    it("should refuse a transfer coding other than chunked (gzip, chunked) with a 415 problem body, without invoking", async () => {
        const res = await rawRequest(api.url, "POST", "/orders", [["content-type", "application/json"], ["transfer-encoding", "gzip, chunked"]], gzipSync('{"a":1}'));
        expect(res.status).to.equal(415);
        expect(res.headers["content-type"]).to.equal("application/problem+json");
        expect(JSON.parse(res.body)).to.include({ type: "urn:order-pipeline:problem:unsupported-media-type", status: 415 });
        expect(JSON.parse(res.body).detail).to.include("Transfer-Encoding gzip");
        expect(lastEvent).to.equal(undefined);
    });

    it("should pass a plain chunked body on to the function", async () => {
        const res = await rawRequest(api.url, "POST", "/orders", [["content-type", "application/json"], ["transfer-encoding", "chunked"]], Buffer.from('{"a":1}'));
        expect(res.status).to.equal(204);
        expect(lastEvent!.body).to.equal('{"a":1}');
    });

    it("should answer 413 when the event would exceed Lambda's 6 MB invocation payload, without invoking", async () => {
        const res = await rawRequest(api.url, "POST", "/orders", [["content-type", "application/json"]], Buffer.alloc(7 * 1024 * 1024, 0x20));
        expect(res.status).to.equal(413);
        expect(res.headers["content-type"]).to.equal("application/problem+json");
        expect(lastEvent).to.equal(undefined);
    });

    it("should send a structured result: status, headers, one set-cookie per cookie, base64 body decoded", async () => {
        answer = async () => ({
            statusCode: 202,
            headers: { "Content-Type": "application/json", Location: "/orders/o-1", "x-count": 3 },
            cookies: ["a=1; Path=/", "b=2"],
            body: Buffer.from('{"ok":true}').toString("base64"),
            isBase64Encoded: true,
        });
        const res = await rawRequest(api.url, "POST", "/orders", [["content-type", "application/json"]], Buffer.from("{}"));
        expect(res.status).to.equal(202);
        expect(res.headers.location).to.equal("/orders/o-1");
        expect(res.headers["x-count"]).to.equal("3");
        expect(res.headers["set-cookie"]).to.deep.equal(["a=1; Path=/", "b=2"]);
        expect(res.headers["apigw-requestid"]).to.be.a("string");
        expect(res.body).to.equal('{"ok":true}');
        expect(responses.at(-1)).to.deep.equal([202, "POST /orders"]);
    });

    it("should treat a result without statusCode as a 200 JSON body, as API Gateway does", async () => {
        answer = async () => ({ hello: "world" });
        let res = await rawRequest(api.url, "GET", "/orders/x", []);
        expect([res.status, res.headers["content-type"], res.body]).to.deep.equal([200, "application/json", '{"hello":"world"}']);
        answer = async () => "plain text";
        res = await rawRequest(api.url, "GET", "/orders/x", []);
        expect([res.status, res.body]).to.deep.equal([200, "plain text"]);
    });

    it("should answer 500 {message: Internal Server Error} when the function fails, times out, or answers nonsense", async () => {
        const failures: Array<() => Promise<unknown>> = [
            async () => {
                throw new FunctionInvocationError("boom", false);
            },
            async () => {
                throw new FunctionInvocationError("Task timed out after 10.00 seconds", true);
            },
            async () => ({ statusCode: "200" }),
            async () => ({ statusCode: 99 }),
            async () => ({ statusCode: 200, body: { not: "a string" } }),
            async () => ({ statusCode: 200, headers: { bad: { nested: 1 } } }),
            async () => ({ statusCode: 200, headers: { "x-bad": "line\nbreak" } }),
            async () => undefined,
        ];
        for (const failure of failures) {
            answer = failure;
            const res = await rawRequest(api.url, "GET", "/orders/x", []);
            expect(res.status).to.equal(500);
            expect(JSON.parse(res.body)).to.deep.equal({ message: "Internal Server Error" });
        }
    });

    it("should map results with the documented rules", () => {
        expect(fromLambdaResult({ statusCode: 201 }).body.length).to.equal(0);
        expect(fromLambdaResult(42).body.toString()).to.equal("42");
        expect(fromLambdaResult({ statusCode: 400, headers: { "Content-Type": "application/problem+json" }, body: "{}" }).headers).to.deep.equal({ "content-type": "application/problem+json" });
    });
});
