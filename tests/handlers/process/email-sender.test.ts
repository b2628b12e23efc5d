import { expect } from "chai";
import { SendEmailCommand as SendEmailV1Command, SESClient } from "@aws-sdk/client-ses";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { ConfirmationEmail } from "../../../handlers/order/confirmation-email";
import { assertSendable, sesEmailSender, UnsendableEmailError } from "../../../handlers/process/email-sender";
import { LOCAL_AWS } from "../support/emulators";

/** A plain HTTP server on 127.0.0.1 that keeps every request body and answers like SES would. */
async function capturingServer(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            bodies.push(Buffer.concat(chunks).toString("utf8"));
            answer(req, res);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}`, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const V1_OK = '<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>m-1</MessageId></SendEmailResult></SendEmailResponse>';

function answerV1(_req: http.IncomingMessage, res: http.ServerResponse) {
    res.writeHead(200, { "content-type": "text/xml" }).end(V1_OK);
}

function answerV2(_req: http.IncomingMessage, res: http.ServerResponse) {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ MessageId: "m-2" }));
}

const VICTIM = "first.customer@example.com";
const INNOCENT = "second.customer@example.com";

/** A body part whose serialization throws once the recipient is written: any fault while a request is built. */
function throwingData(): { Data: string } {
    return Object.defineProperty({} as { Data: string }, "Data", {
        enumerable: true,
        get() {
            throw new URIError("URI malformed");
        },
    });
}

describe("SES email sender", () => {
    describe("a request that fails while being built cannot leak into the next one", () => {
        it("with API v2 (the sender's client): the second body holds nothing of the first", async () => {
            // Prepare
            const server = await capturingServer(answerV2);
            const ses = new SESv2Client({ ...LOCAL_AWS, endpoint: server.endpoint, maxAttempts: 1 });
            try {
                // Act: the first send throws while serializing, after its recipient.
                const first = await ses
                    .send(
                        new SendEmailCommand({
                            FromEmailAddress: "shop@example.com",
                            Destination: { ToAddresses: [VICTIM] },
                            Content: { Simple: { Subject: { Data: "first subject" }, Body: { Text: throwingData() } } },
                        }),
                    )
                    .then(() => undefined, (err: unknown) => err);
                const second = await ses.send(
                    new SendEmailCommand({
                        FromEmailAddress: "shop@example.com",
                        Destination: { ToAddresses: [INNOCENT] },
                        Content: { Simple: { Subject: { Data: "second subject" }, Body: { Text: { Data: "hello" } } } },
                    }),
                );

                // Assess
                expect(first).to.be.instanceOf(URIError);
                expect(second.MessageId).to.equal("m-2");
                expect(server.bodies).to.have.length(1);
                expect(server.bodies[0]).not.to.include(VICTIM).and.not.to.include("first subject");
                expect(JSON.parse(server.bodies[0]).Destination).to.deep.equal({ ToAddresses: [INNOCENT] });
            } finally {
                ses.destroy();
                await server.close();
            }
        });

        it("with API v1 (query protocol), the same two sends carry the first recipient into the second body: the defect the sender avoids", async () => {
            // Prepare
            const server = await capturingServer(answerV1);
            const ses = new SESClient({ ...LOCAL_AWS, endpoint: server.endpoint, maxAttempts: 1 });
            try {
                // Act: the original trigger, a lone surrogate that encodeURIComponent cannot encode.
                const first = await ses
                    .send(
                        new SendEmailV1Command({
                            Source: "shop@example.com",
                            Destination: { ToAddresses: [VICTIM] },
                            Message: { Subject: { Data: "first subject" }, Body: { Text: { Data: "Hello Ada \ud800" } } },
                        }),
                    )
                    .then(() => undefined, (err: unknown) => err);
                await ses.send(
                    new SendEmailV1Command({
                        Source: "shop@example.com",
                        Destination: { ToAddresses: [INNOCENT] },
                        Message: { Subject: { Data: "second subject" }, Body: { Text: { Data: "hello" } } },
                    }),
                );

                // Assess: if this ever fails, the SDK fixed its serializer; the v2 test above still holds.
                expect(first).to.be.instanceOf(URIError);
                expect(server.bodies).to.have.length(1);
                expect(decodeURIComponent(server.bodies[0])).to.include(VICTIM).and.include(INNOCENT);
            } finally {
                ses.destroy();
                await server.close();
            }
        });
    });

    describe("sesEmailSender", () => {
        const ORDER_ID = "5d1c8e4a-3b7f-4c2e-9a1d-6f0e2b8c4a71";
        const email: ConfirmationEmail = { to: "ada@example.com", subject: "Order 1 confirmed", text: "Hello Ada,\n\nthanks", html: "<p>Hello Ada,</p>\n<p>thanks</p>" };

        it("should send simple content through API v2 and resolve to the message id", async () => {
            const server = await capturingServer(answerV2);
            const ses = new SESv2Client({ ...LOCAL_AWS, endpoint: server.endpoint, maxAttempts: 1 });
            try {
                expect(await sesEmailSender(ses, "Shop <shop@example.com>")(email, ORDER_ID)).to.equal("m-2");
                const sent = JSON.parse(server.bodies[0]);
                expect(sent).to.deep.include({ FromEmailAddress: "Shop <shop@example.com>", Destination: { ToAddresses: ["ada@example.com"] } });
                expect(sent.Content.Simple.Body.Text).to.deep.equal({ Data: email.text, Charset: "UTF-8" });
                // The tag SES publishes with the email's delivery events, which names the order.
                expect(sent.EmailTags).to.deep.equal([{ Name: "orderId", Value: ORDER_ID }]);
            } finally {
                ses.destroy();
                await server.close();
            }
        });

        const unsendable: Array<[string, Partial<ConfirmationEmail>]> = [
            ["a lone surrogate in the text", { text: "Hello Ada \ud800" }],
            ["a reversed pair in the html", { html: "<p>\ude00\ud83d</p>" }],
            ["a C1 control in the text", { text: "Hello\u0085Ada" }],
            ["a line feed in the subject", { subject: "Order\nBcc: x@example.com" }],
            ["two recipients in one", { to: "ada@example.com, eve@example.com" }],
        ];
        for (const [name, change] of unsendable) {
            it(`should refuse ${name} before any request, as an email that can never be sent`, async () => {
                const server = await capturingServer(answerV2);
                const ses = new SESv2Client({ ...LOCAL_AWS, endpoint: server.endpoint, maxAttempts: 1 });
                try {
                    const err = await sesEmailSender(ses, "shop@example.com")({ ...email, ...change }, ORDER_ID).then(() => undefined, (e: unknown) => e);
                    expect(err).to.be.instanceOf(UnsendableEmailError);
                    expect((err as UnsendableEmailError).reason).not.to.include("ada@example.com");
                    expect(server.bodies).to.deep.equal([]);
                } finally {
                    ses.destroy();
                    await server.close();
                }
            });
        }

        it("should treat SES's MessageRejected as permanent and any other SES error as retryable", async () => {
            let error = "MessageRejected";
            const server = await capturingServer((_req, res) => {
                res.writeHead(400, { "content-type": "application/json", "x-amzn-errortype": error }).end(JSON.stringify({ message: "refused" }));
            });
            const ses = new SESv2Client({ ...LOCAL_AWS, endpoint: server.endpoint, maxAttempts: 1 });
            try {
                const rejected = await sesEmailSender(ses, "shop@example.com")(email, ORDER_ID).then(() => undefined, (e: unknown) => e);
                error = "SendingPausedException";
                const paused = await sesEmailSender(ses, "shop@example.com")(email, ORDER_ID).then(() => undefined, (e: unknown) => e);
                expect(rejected).to.be.instanceOf(UnsendableEmailError);
                expect((rejected as UnsendableEmailError).reason).to.equal("SES refused it (MessageRejected)");
                expect(paused).to.be.instanceOf(Error).and.not.to.be.instanceOf(UnsendableEmailError);
                expect((paused as Error).name).to.equal("SendingPausedException");
            } finally {
                ses.destroy();
                await server.close();
            }
        });

        it("should pass a well-formed email with astral characters and bidi marks", () => {
            expect(() => assertSendable({ ...email, text: "Hello 😀 \u200fעדה\u200f,\n\nthanks" })).not.to.throw();
        });
    });
});
