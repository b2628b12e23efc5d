/**
 * The validation benchmark's contenders: each turns a request into a validated order (true) or a
 * rejection (false). Bundled by the benchmark like a handler, so both sides run as deployed.
 */
import { ApiGatewayV2Envelope } from "@aws-lambda-powertools/parser/envelopes/api-gatewayv2";
import { JSONStringified } from "@aws-lambda-powertools/parser/helpers";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { readJsonBody } from "../handlers/http/body";
import { validateOrder } from "../handlers/order/validate-order";
import type { ZodType } from "zod";
import { PeerOrderSchema } from "./peer/schema";

const peerBody = JSONStringified(PeerOrderSchema);
// Only `success` is read: the schema's own type would make the type checker infer the envelope's
// result type for nothing (seconds of every `tsc`).
const peerBodyUntyped: ZodType = peerBody;

/** Each contender turns a request into a validated order (true) or a rejection (false). */
export const CONTENDERS = {
    "ours/schema": (text: string) => {
        return validateOrder(JSON.parse(text)).ok;
    },
    "peer/schema": (text: string) => peerBody.safeParse(text).success,
    "ours/event": (event: APIGatewayProxyEventV2) => {
        const body = readJsonBody({
            body: event.body,
            isBase64Encoded: event.isBase64Encoded,
            contentType: event.headers?.["content-type"],
            contentEncoding: event.headers?.["content-encoding"],
        });
        return body.ok && validateOrder(body.value).ok;
    },
    "peer/event": (event: APIGatewayProxyEventV2) => ApiGatewayV2Envelope.safeParse(event, peerBodyUntyped).success,
} as const;

