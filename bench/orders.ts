import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { randomUUID } from "node:crypto";
import type { Order } from "../handlers/order/schema";
import { toHttpApiEvent } from "../local/api/http-api-event";

/** A small deterministic pseudo-random generator (mulberry32), so every run sends the same orders. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson"];
const CITIES: ReadonlyArray<[string, string, string]> = [
    ["London", "N1 1AA", "GB"],
    ["Berlin", "10115", "DE"],
    ["Paris", "75001", "FR"],
    ["Madrid", "28001", "ES"],
];

/**
 * A realistic order: 1 to 5 line items, a named customer with an address. The `n`th order of a
 * seed is always the same; `n` also makes the email address unique.
 */
export function sampleOrder(random: () => number, n: number): Order {
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    const first = pick(FIRST);
    const last = pick(LAST);
    const [city, postalCode, country] = pick(CITIES);
    const lines = 1 + Math.floor(random() * 5);
    return {
        customer: { email: `${first}.${last}.${n}@example.com`.toLowerCase(), name: `${first} ${last}` },
        items: Array.from({ length: lines }, (_, i) => ({
            sku: `SKU-${1000 + Math.floor(random() * 9000)}-${i}`,
            quantity: 1 + Math.floor(random() * 4),
            unitPrice: 100 + Math.floor(random() * 20000),
        })),
        currency: "EUR",
        shippingAddress: { line1: `${1 + Math.floor(random() * 200)} Main Street`, city, postalCode, country },
    };
}

/** The HTTP API 2.0 event for `POST /orders` with this body, as API Gateway would send it. */
export function postOrderEvent(body: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
    const rawHeaders = Object.entries({ host: "api.example.com", "content-type": "application/json", ...headers }).flat();
    return toHttpApiEvent(
        { method: "POST", url: "/orders", rawHeaders, body: Buffer.from(body), sourceIp: "127.0.0.1", localPort: 443 },
        { routeKey: "POST /orders", pathParameters: undefined },
        { apiId: "bench", requestId: randomUUID(), timeEpoch: Date.now() },
    );
}

/** The HTTP API 2.0 event for `GET /orders/{orderId}`. */
export function getOrderEvent(orderId: string): APIGatewayProxyEventV2 {
    return toHttpApiEvent(
        { method: "GET", url: `/orders/${orderId}`, rawHeaders: ["host", "api.example.com"], body: Buffer.alloc(0), sourceIp: "127.0.0.1", localPort: 443 },
        { routeKey: "GET /orders/{orderId}", pathParameters: { orderId } },
        { apiId: "bench", requestId: randomUUID(), timeEpoch: Date.now() },
    );
}
